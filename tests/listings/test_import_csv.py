import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from companies.models import Company
from listings.models import Posting

from .importing import FIXTURES, failed_import, run_import, snapshot, write_file, writes_during

pytestmark = pytest.mark.django_db

SEED_CSV = FIXTURES / "seed_posting.csv"
HEADER = "external_id,title,company,apply_url,locations,pay_ranges,skills,hours_per_week"


def test_seed_csv_imports_to_the_same_posting_as_load_demo():
    call_command("load_demo", postings=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    expected = snapshot(Posting.objects.get())
    Posting.objects.all().delete()
    Company.objects.all().delete()

    out, _ = run_import(SEED_CSV)

    assert "created 1, updated 0, unchanged 0" in out
    assert snapshot(Posting.objects.get()) == expected


def test_seed_csv_after_load_demo_writes_nothing():
    call_command("load_demo", postings=0, stdout=open("/dev/null", "w"))  # noqa: SIM115
    outputs = []
    assert writes_during(lambda: outputs.append(run_import(SEED_CSV))) == []
    assert "unchanged 1" in outputs[0][0]


def test_csv_with_a_byte_order_mark_and_windows_line_ends(tmp_path):
    content = (
        f"{HEADER}\r\n"
        'x-1,Intern,Lark Foods,https://lark.example.com/jobs/1,"Austin, TX;Remote in USA",'
        "TX|CA:20-25.50;*:18-18,Excel; SQL ,40\r\n"
    )
    path = write_file(tmp_path, "feed.csv", "\ufeff" + content)
    out, _ = run_import(path, "--source", "lark")
    assert "created 1" in out
    posting = Posting.objects.get()
    assert posting.external_id == "x-1"
    assert posting.work_mode == "remote"
    assert sorted(s.name for s in posting.skills.all()) == ["Excel", "SQL"]
    assert posting.pay_display_in("CA") == "$20 - $25.50"
    assert posting.pay_display_in("OH") == "$18"
    assert posting.hours_per_week == 40


@pytest.mark.parametrize(
    ("cells", "message"),
    [
        ("TX:20-x", "line 2 (id 'x-1'): pay_ranges[0]: must look like CA|NY:52-52"),
        ("TX:30-20", "line 2 (id 'x-1'): pay_ranges[0].max: is below the minimum"),
        ("TX:20-25;tx:20-25", "line 2 (id 'x-1'): pay_ranges[1].states[0]: TX is already in"),
        ("*:20-25;*:30-35", 'pay_ranges[1].states: a second "all other states" range'),
        ("ZZ:20-25", "line 2 (id 'x-1'): pay_ranges[0].states[0]: is not a US state code"),
        ("TX:0-25", "pay_ranges[0].min: must be more than 0"),
        ("TX:NaN-25", "pay_ranges[0].min: NaN is not a number"),
    ],
)
def test_bad_pay_ranges_name_the_row_and_write_nothing(tmp_path, cells, message):
    path = write_file(
        tmp_path,
        "feed.csv",
        f"{HEADER}\nx-1,Intern,Lark Foods,https://lark.example.com/j/1,Austin TX,{cells},,\n",
    )
    error, err = failed_import(path)
    assert error.startswith("1 invalid record in ")
    assert message in err
    assert not Posting.objects.exists()


def test_unknown_column_is_a_one_line_error(tmp_path):
    path = write_file(tmp_path, "feed.csv", "external_id,title,company,apply_url,salary\n")
    with pytest.raises(CommandError, match="unknown CSV column 'salary'"):
        run_import(path)


def test_missing_required_column(tmp_path):
    path = write_file(tmp_path, "feed.csv", "title,company,apply_url\nA,B,https://b.example.com\n")
    with pytest.raises(CommandError, match="no 'external_id' column"):
        run_import(path)


def test_wrong_number_in_a_number_column(tmp_path):
    path = write_file(
        tmp_path, "feed.csv", f"{HEADER}\nx-1,Intern,Lark,https://lark.example.com/j,,,,forty\n"
    )
    _, err = failed_import(path)
    assert "line 2 (id 'x-1'): hours_per_week: is not a whole number: 'forty'" in err


def test_rows_are_named_by_their_line_even_after_multi_line_cells(tmp_path):
    path = write_file(
        tmp_path,
        "feed.csv",
        "external_id,title,company,apply_url,about_role\n"
        'a,Intern,Lark,https://lark.example.com/a,"<p>one</p>\n<p>two</p>"\n'
        "b,Intern,Lark,javascript:alert(1),\n",
    )
    _, err = failed_import(path)
    assert err.startswith("line 4 (id 'b'): apply_url: The URL must start with http")
