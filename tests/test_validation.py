"""Bad inputs, one per test: each asserts what the message says, not only that it fails."""

from __future__ import annotations

import pandas as pd
import pytest

import kamkit
from kamkit.data.portfolio import save
from kamkit.data.validation import MAX_ROWS_SHOWN
from tests.conftest import SMALL

ACCOUNTS_HEADER = SMALL["accounts.csv"].split("\n", 1)[0]
TX_HEADER = SMALL["transactions.csv"].split("\n", 1)[0]


def messages(path) -> list[str]:
    report = kamkit.validate(path)
    return [p.message() for p in report.errors]


def only_error(path) -> str:
    errors = messages(path)
    assert len(errors) == 1, errors
    return errors[0]


# --- inputs that must be accepted -------------------------------------------------------


def test_small_portfolio_is_valid(small):
    p = kamkit.load(small)
    assert len(p.accounts) == 3
    assert p.meta.currency == "EUR"
    assert p.as_of == pd.Timestamp("2026-06-30")
    # Returns and credit notes are legitimate negative lines.
    assert p.transactions["revenue"].sum() == pytest.approx(5200 - 520 + 1800.5 - 100 + 900)


def test_utf8_bom_is_read(make_portfolio):
    path = make_portfolio({"accounts.csv": "\ufeff" + SMALL["accounts.csv"]})
    p = kamkit.load(path)
    assert list(p.accounts.columns[:2]) == ["account_id", "name"]
    assert p.accounts["account_id"].iloc[0] == "A-1"


def test_semicolon_csv_with_decimal_commas(make_portfolio):
    text = (TX_HEADER.replace(",", ";") + "\n"
            "2025-09-15;A-1;invoice;PSU-600;power supplies;10;5.200,50;3600,25\n"
            "15.10.2025;A-2;invoice;DRV-10;drives;2;1 800,50;1200\n")
    p = kamkit.load(make_portfolio({"transactions.csv": text}))
    assert p.transactions["revenue"].tolist() == [5200.5, 1800.5]
    assert p.transactions["cost"].tolist() == [3600.25, 1200.0]
    assert p.transactions["date"].dt.strftime("%Y-%m-%d").tolist() == ["2025-09-15",
                                                                       "2025-10-15"]


def test_names_in_any_script_survive(small):
    p = kamkit.load(small)
    assert p.accounts["name"].tolist() == ["Nordwerk GmbH", "Энергомаш", "پارس پزشکی"]


def test_missing_optional_tables_load_and_are_named(small):
    p = kamkit.load(small)
    assert "contacts" in p.missing_tables
    notes = [n.message() for n in p.report.notices]
    assert any("no contacts table" in n and "decision-making unit" in n for n in notes)
    assert p.contacts.empty and "attitude" in p.contacts.columns


def test_unknown_extra_column_is_kept_with_a_warning(make_portfolio):
    text = SMALL["accounts.csv"].replace("last_review\n", "last_review,Credit Limit\n", 1)
    text = text.replace("2026-04-10\n", "2026-04-10,5000\n").replace(",\nA-3", ",,\nA-3")
    text = text.replace("2026-05-01\n", "2026-05-01,\n")
    p = kamkit.load(make_portfolio({"accounts.csv": text}))
    assert "credit_limit" in p.accounts.columns
    warning = [w.message() for w in p.report.warnings if w.code == "unknown_column"]
    assert warning and 'column "Credit Limit"' in warning[0] and "kept" in warning[0]


def test_forgiving_headers(make_portfolio):
    text = SMALL["accounts.csv"].replace("account_id,name", "Account ID,Name", 1)
    p = kamkit.load(make_portfolio({"accounts.csv": text}))
    assert p.accounts["account_id"].tolist() == ["A-1", "A-2", "A-3"]


# --- bad inputs ---------------------------------------------------------------------------


def test_not_utf8_names_file_line_and_fix(make_portfolio):
    text = SMALL["accounts.csv"].encode("utf-8").replace(
        "Энергомаш".encode(), "Энергомаш".encode("cp1251"))
    msg = only_error(make_portfolio({"accounts.csv": text}))
    assert msg.startswith("accounts.csv, row 3:")
    assert "UTF-8" in msg and "Save As > CSV UTF-8" in msg


def test_empty_file(make_portfolio):
    msg = only_error(make_portfolio({"transactions.csv": ""}))
    assert msg.startswith("transactions.csv:") and "header row" in msg


def test_header_only_required_table(make_portfolio):
    msg = only_error(make_portfolio({"transactions.csv": TX_HEADER + "\n"}))
    assert msg == ("transactions.csv: expected at least one row of data under the header.")


def test_missing_required_table(make_portfolio):
    msg = only_error(make_portfolio({"transactions.csv": None}))
    assert "transactions" in msg and "expected a table named transactions" in msg


def test_missing_required_column(make_portfolio):
    text = "\n".join(",".join(line.split(",")[:7] + line.split(",")[8:])
                     for line in SMALL["transactions.csv"].splitlines()) + "\n"
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert msg.startswith('transactions.csv, column "cost": expected a column named cost')
    assert "Cost of the goods" in msg


def test_wrong_type_names_row_column_value(make_portfolio):
    text = SMALL["transactions.csv"].replace("1800.50", '"12,5O"')
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert msg == ('transactions.csv, column "revenue", row 4: expected an amount such as '
                   '5200.00; found "12,5O".')


def test_ambiguous_slashed_date_is_refused(make_portfolio):
    text = SMALL["transactions.csv"].replace("2026-02-01", "03/04/2026")
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert 'column "date", row 4' in msg and "YYYY-MM-DD" in msg and '"03/04/2026"' in msg


def test_impossible_date(make_portfolio):
    text = SMALL["transactions.csv"].replace("2026-02-01", "2026-02-30")
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert 'row 4' in msg and '"2026-02-30"' in msg


def test_duplicated_account_ids(make_portfolio):
    text = SMALL["accounts.csv"] + "A-1,Copy,x,PL,,2020,1,1,1,basic,,\n"
    msg = only_error(make_portfolio({"accounts.csv": text}))
    assert msg == ('accounts.csv, column "account_id", rows 2, 5: expected each value only '
                   'once; found "A-1".')


def test_unknown_account_with_suggestion(make_portfolio):
    text = SMALL["transactions.csv"].replace("2026-05-30,A-3", "2026-05-30,A-33")
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert msg.startswith('transactions.csv, column "account_id", row 6:')
    assert "accounts.account_id (accounts.csv)" in msg and "A-33 \u2192 A-3" in msg


def test_negative_line_without_return_marking(make_portfolio):
    text = SMALL["transactions.csv"].replace("return,", "invoice,")
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert "row 3" in msg and "Mark the lines that take goods back as doc_type return" in msg
    assert '"quantity -1, revenue -520, cost -360"' in msg


def test_negative_line_in_file_without_doc_type(make_portfolio):
    lines = SMALL["transactions.csv"].splitlines()
    kept = [lines[0], lines[1], lines[2]]
    text = "\n".join(",".join(p for i, p in enumerate(line.split(",")) if i != 2)
                     for line in kept) + "\n"
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert "has no doc_type column" in msg and "row 3" in msg


def test_return_with_positive_quantity(make_portfolio):
    text = SMALL["transactions.csv"].replace("return,PSU-600,power supplies,-1",
                                             "return,PSU-600,power supplies,1")
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert "return lines take goods back: quantity below 0" in msg and "row 3" in msg


def test_future_date_against_as_of(make_portfolio):
    text = SMALL["transactions.csv"].replace("2026-05-30", "2026-08-01")
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert "row 6" in msg and "as-of date 2026-06-30" in msg and "future" in msg


def test_future_date_without_as_of_uses_today(make_portfolio):
    import datetime

    path = make_portfolio({"meta.csv": "key,value\ncurrency,EUR\n"})
    report = kamkit.validate(path, today=datetime.date(2026, 3, 1))
    msgs = [p.message() for p in report.errors]
    assert any("before today (2026-03-01)" in m and "2026-05-30" in m for m in msgs)
    p = kamkit.load(path, today=datetime.date(2026, 7, 1))
    assert p.as_of == pd.Timestamp("2026-05-30") and p.meta.as_of_source == "transactions"


def test_category_not_allowed_lists_choices(make_portfolio):
    text = SMALL["accounts.csv"].replace("cooperative", "friendly")
    msg = only_error(make_portfolio({"accounts.csv": text}))
    assert 'column "relationship_stage", row 2' in msg
    assert "one of: exploratory, basic, cooperative, interdependent, integrated" in msg


def test_category_is_case_and_space_insensitive(make_portfolio):
    text = SMALL["accounts.csv"].replace("commodity_broker", "Commodity Broker")
    p = kamkit.load(make_portfolio({"accounts.csv": text}))
    assert p.accounts["ladder_step"].iloc[1] == "commodity_broker"


def test_rating_out_of_range(make_portfolio):
    text = SMALL["accounts.csv"].replace("2015,4,4,3", "2015,7,4,3")
    msg = only_error(make_portfolio({"accounts.csv": text}))
    assert msg == ('accounts.csv, column "strategic_role", row 2: expected a value of at most '
                   '5; found "7".')


def test_fraction_written_as_percent_number(make_portfolio):
    comp = ("account_id,competitor,share_of_wallet,strengths,weaknesses,threat\n"
            "A-1,Vendor A,35,price,lead times,high\nA-1,Vendor B,20%,,,low\n")
    path = make_portfolio({"competitors.csv": comp})
    msg = only_error(path)
    assert 'column "share_of_wallet", row 2' in msg and "write 0.35 or 35%" in msg


def test_competitor_shares_over_one(make_portfolio):
    comp = ("account_id,competitor,share_of_wallet,strengths,weaknesses,threat\n"
            "A-1,Vendor A,0.7,price,,high\nA-1,Vendor B,0.5,,,low\n")
    msg = only_error(make_portfolio({"competitors.csv": comp}))
    assert "rows 2, 3" in msg and "adding up to at most 1" in msg and '"A-1: 1.20"' in msg


def test_duplicate_column_header(make_portfolio):
    text = SMALL["accounts.csv"].replace("industry,country", "industry,Industry", 1)
    msgs = messages(make_portfolio({"accounts.csv": text}))
    assert any('column "industry"' in m and "each column once" in m for m in msgs)


def test_ragged_row(make_portfolio):
    text = SMALL["transactions.csv"].replace("3600.00\n", "3600.00,extra,more\n", 1)
    text = text.replace("1200.00\n", "1200.00,x\n", 1)
    msg = only_error(make_portfolio({"transactions.csv": text}))
    assert msg == ("transactions.csv, rows 2, 4: expected 8 fields like the header; a value "
                   "that contains the separator ',' must be in double quotes; found "
                   "\"10 fields\", \"9 fields\".")


def test_action_due_before_start(make_portfolio):
    goals = ("goal_id,account_id,goal,metric,scope,baseline,target,deadline,linked_to,owner\n"
             "G1,A-1,Grow drives,revenue,drives,100,120,2026-12-31,,Anna\n")
    actions = ("action_id,account_id,goal_id,action,strategy,department,owner,start,due,status,"
               "budget\nX1,A-1,G1,Visit,,sales,Anna,2026-09-01,2026-08-01,planned,100\n")
    msg = only_error(make_portfolio({"goals.csv": goals, "actions.csv": actions}))
    assert 'actions.csv, column "due", row 2' in msg and "on or after the start date" in msg


def test_action_for_unknown_goal(make_portfolio):
    goals = ("goal_id,account_id,goal,metric,scope,baseline,target,deadline,linked_to,owner\n"
             "G1,A-1,Grow drives,revenue,drives,100,120,2026-12-31,,Anna\n")
    actions = ("action_id,account_id,goal_id,action,strategy,department,owner,start,due,status,"
               "budget\nX1,A-1,G7,Visit,,sales,Anna,2026-07-01,2026-08-01,planned,100\n")
    msg = only_error(make_portfolio({"goals.csv": goals, "actions.csv": actions}))
    assert 'column "goal_id"' in msg and "goals.goal_id" in msg and '"G7"' in msg


def test_bad_meta_values(make_portfolio):
    path = make_portfolio({"meta.csv": "key,value\ncurrency,euro\nas_of,30/06/2026\n"})
    msgs = messages(path)
    assert any("currency: a three-letter ISO 4217 code" in m and '"euro"' in m for m in msgs)
    assert any("as_of: a date written YYYY-MM-DD" in m and "row 3" in m for m in msgs)


def test_many_bad_rows_are_summarised(make_portfolio):
    rows = "".join(f"2026-01-{d:02d},A-1,invoice,P,pl,1,bad,1\n" for d in range(1, 21))
    msg = only_error(make_portfolio({"transactions.csv": TX_HEADER + "\n" + rows}))
    shown = ", ".join(str(r) for r in range(2, 2 + MAX_ROWS_SHOWN))
    assert f"rows {shown} and 12 more" in msg


def test_all_problems_reported_at_once(make_portfolio):
    accounts = SMALL["accounts.csv"].replace("cooperative", "friendly").replace(
        "2015,4,4,3", "2015,9,4,3")
    tx = SMALL["transactions.csv"].replace("1800.50", "abc").replace("2026-05-30,A-3",
                                                                      "2026-05-30,A-9")
    codes = {p.code for p in kamkit.validate(make_portfolio(
        {"accounts.csv": accounts, "transactions.csv": tx})).errors}
    assert codes == {"not_allowed", "above_maximum", "not_a_number", "unknown_reference"}


def test_two_files_for_one_table(make_portfolio):
    path = make_portfolio({"Accounts.CSV": SMALL["accounts.csv"]})
    msgs = messages(path)
    assert any("one file per table" in m and "Accounts.CSV" in m for m in msgs)


def test_load_raises_with_the_whole_report(make_portfolio):
    path = make_portfolio({"accounts.csv": SMALL["accounts.csv"].replace("cooperative", "x")})
    with pytest.raises(kamkit.PortfolioValidationError) as info:
        kamkit.load(path)
    assert "1 error" in str(info.value) and "relationship_stage" in str(info.value)
    assert info.value.report.errors[0].rows == (2,)


# --- the same rules in workbooks and Parquet ------------------------------------------------


def test_workbook_messages_name_the_sheet_and_row(small, tmp_path):
    book = save(kamkit.load(small), tmp_path / "p.xlsx", "xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(book)
    wb["transactions"]["H3"] = "n/a"  # revenue of the second line: sheet row 3
    wb.create_sheet("instructions").append(["anything the user writes"])
    wb.save(book)
    msg = only_error(book)
    assert msg.startswith('p.xlsx, sheet "transactions", column "revenue", row 3:')
    assert '"n/a"' in msg


def test_parquet_messages_name_the_record(small, tmp_path):
    out = save(kamkit.load(small), tmp_path / "pq", "parquet")
    frame = pd.read_parquet(out / "accounts.parquet")
    frame.loc[1, "strategic_role"] = 8.0
    frame.to_parquet(out / "accounts.parquet", index=False)
    msg = only_error(out)
    assert msg.startswith('accounts.parquet, column "strategic_role", record 2:')


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet"])
def test_same_tables_from_every_format(small, tmp_path, fmt):
    original = kamkit.load(small)
    target = tmp_path / ("p.xlsx" if fmt == "xlsx" else "p")
    again = kamkit.load(save(original, target, fmt))
    for name in original.tables:
        if name != "meta":
            pd.testing.assert_frame_equal(original.tables[name], again.tables[name])
    assert again.meta.currency == original.meta.currency
    assert again.as_of == original.as_of


def test_save_never_overwrites_by_accident(small):
    p = kamkit.load(small)
    before = (small / "accounts.csv").read_bytes()
    with pytest.raises(kamkit.ParameterError, match="already exists"):
        save(p, small, "csv")
    assert (small / "accounts.csv").read_bytes() == before


def test_from_frames_validates_like_files():
    frames = {"accounts": pd.DataFrame({"account_id": ["A", "A"], "name": ["x", "y"]}),
              "transactions": pd.DataFrame({"date": ["2026-01-01"], "account_id": ["A"],
                                            "product": ["p"], "product_line": ["l"],
                                            "quantity": [1], "revenue": [1.0], "cost": [1.0]})}
    with pytest.raises(kamkit.PortfolioValidationError, match="each value only once"):
        kamkit.from_frames(frames, {"currency": "EUR", "as_of": "2026-06-30"})


def test_repeated_loads_share_data_but_not_changes(small):
    first = kamkit.load(small)
    second = kamkit.load(small)
    assert second.tables["accounts"] is not first.tables["accounts"]
    second.tables["accounts"].loc[0, "name"] = "changed here"
    assert first.accounts.loc[0, "name"] == "Nordwerk GmbH"
    assert kamkit.load(small).accounts.loc[0, "name"] == "Nordwerk GmbH"


def test_an_edited_file_is_read_again(small):
    import os

    assert kamkit.load(small).meta.name == "Small"
    meta = small / "meta.csv"
    meta.write_text(SMALL["meta.csv"].replace("Small", "Renamed"), encoding="utf-8")
    os.utime(meta, ns=(1, 1))  # even a file whose mtime moved backwards
    assert kamkit.load(small).meta.name == "Renamed"


def test_optional_ids_are_generated_and_survive_a_save(make_portfolio, tmp_path):
    contacts = ("account_id,name,title,department,level,buying_role,influence,attitude,"
                "relationship_strength,our_owner,last_contact\n"
                "A-1,Ana,CEO,management,executive,economic_buyer,5,sponsor,4,Anna,2026-05-01\n"
                "A-1,Piotr,Buyer,procurement,middle,,3,neutral,2,Anna,\n")
    p = kamkit.load(make_portfolio({"contacts.csv": contacts}))
    assert p.contacts["contact_id"].tolist() == ["contacts-2", "contacts-3"]
    again = kamkit.load(save(p, tmp_path / "copy", "csv"))
    pd.testing.assert_frame_equal(again.contacts, p.contacts)
