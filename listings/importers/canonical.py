"""The canonical format: a JSON array or JSON Lines of records shaped like
docs/import-format.md. The records already are canonical; this only reads them."""

from .reading import Item, duplicate_problems, json_records


def read(path):
    """Yield an Item per record, reading the file as it goes."""
    for where, record, duplicates in json_records(path):
        external_id = record.get("external_id") if isinstance(record, dict) else None
        item = Item(where, record, external_id=external_id if isinstance(external_id, str) else "")
        item.problems += duplicate_problems(duplicates)
        yield item
