"""``srs unsuspend``: bring back a card that was suspended as a leech."""

from __future__ import annotations

import click

from srs.commands.common import fail, home_option
from srs.commands.show import unknown_key


@click.command()
@click.argument("key")
@home_option
def command(key: str, home: str | None) -> None:
    """Bring back the suspended card KEY (see `srs stats` for leeches)."""
    from srs.home import data_home
    from srs.store import Store, StoreError

    try:
        store = Store.open(data_home(home), create=False)
    except StoreError as err:
        fail(str(err))
    with store:
        card = store.card(key)
        if card is None:
            fail(unknown_key(store, key))
        if not card.suspended:
            click.echo(f"{key} is not suspended.")
            return
        store.set_suspended(key, False)
    if card.retired:
        click.echo(f"{key} is no longer suspended; its scenario is gone, so it shows again only if that returns.")
    else:
        click.echo(f"{key} is back in your reviews.")
