"""The canonical format: a JSON array or JSON Lines of records shaped like
docs/import-format.md. The records already are canonical; this only reads them."""

from .reading import Item, load_json_records, read_text


def read(path):
    items = []
    for where, record in load_json_records(read_text(path)):
        external_id = record.get("external_id") if isinstance(record, dict) else None
        items.append(
            Item(where, record, external_id=external_id if isinstance(external_id, str) else "")
        )
    return items
