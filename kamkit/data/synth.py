"""Synthetic portfolios: a seeded generator and the Company X case study.

Two faces over one engine:

* :func:`generate` builds a generic portfolio of any size, from a hundred customers for a
  workshop to a hundred thousand (about ten million transaction lines) for benchmarks.
* :func:`company_x` builds the methodology's worked example: an electronics maker whose
  three largest customers buy over half of its sales and whose key customers suffer from
  spare parts that do not arrive on time. Its story accounts are data, in
  ``kamkit/data/company_x_story.json``; ``docs/case-study.md`` tells the story.

Both are deterministic: every draw comes from ``numpy.random.Generator(PCG64(...))``
streams spawned from one seed, nothing depends on set ordering or the clock, and every
table leaves in a fixed row order. The frames come out typed exactly as
:func:`kamkit.data.portfolio.from_frames` would type them, so :func:`generate_frames` can feed
a benchmark or a Parquet writer without validating ten million rows first.

How the sales are drawn, and why:

* Each customer has a target revenue per rolling year (lognormal across customers, so a
  fifth of them buy roughly four fifths; a growth rate; some won or lost during the
  window) and a mix over the product lines it buys (the lines it does not buy are the
  whitespace the opportunities table talks about).
* The number of lines grows slower than revenue (big customers buy more *and* bigger),
  line dates follow a seasonal curve (strong Q4, weak August), every line prices a real
  catalogue product at list price less the customer's discount, and costs follow the
  product line's margin.
* About 1.5% of invoice lines come back (``return``: negative quantity, revenue and
  cost) and about 0.5% get a price correction (``credit_note``: quantity 0, negative
  revenue, cost 0), as :data:`kamkit.data.schema.TRANSACTION_SIGN_RULE` wants.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from kamkit.data.portfolio import Portfolio, PortfolioMeta, from_frames, save
from kamkit.data.schema import (
    ATTITUDES,
    LADDER_STEPS,
    RELATIONSHIP_STAGES,
    SCHEMAS,
    TABLES,
)
from kamkit.exceptions import ParameterError

__all__ = [
    "generate",
    "generate_frames",
    "company_x",
    "company_x_frames",
    "write",
    "POOLS_PATH",
    "STORY_PATH",
]

_DATA = Path(__file__).resolve().parent  # the data package holds its files
#: Word pools, product catalogue and seasonality the generator draws from.
POOLS_PATH = _DATA / "synth_pools.json"
#: The Company X case study: its story accounts, their dossiers and plans.
STORY_PATH = _DATA / "company_x_story.json"

Frames = dict[str, pd.DataFrame]
Meta = dict[str, object]

#: Lines per customer and rolling year when the caller does not say: 100,000 customers
#: over three years give about ten million lines.
DEFAULT_LINES_PER_ACCOUNT_YEAR = 33.0
#: Share of invoice lines that come back as a return, and that get a credit note.
RETURN_RATE = 0.015
CREDIT_NOTE_RATE = 0.005
#: Key candidates of a generic portfolio: this share of the customers, at most the cap.
CANDIDATE_SHARE = 0.10
CANDIDATE_CAP = 60
_DOC_PREFIX = {"invoice": "INV", "return": "RET", "credit_note": "CN"}
_DOC_TYPES = ("invoice", "return", "credit_note")


@functools.cache
def _pools() -> dict[str, Any]:
    return json.loads(POOLS_PATH.read_text(encoding="utf-8"))


@functools.cache
def _story() -> dict[str, Any]:
    return json.loads(STORY_PATH.read_text(encoding="utf-8"))


def _streams(seed: int, n: int) -> list[np.random.Generator]:
    """Independent generators, so a change in one table's drawing leaves the others alone."""
    return [np.random.Generator(np.random.PCG64(s)) for s in np.random.SeedSequence(
        seed).spawn(n)]


# --------------------------------------------------------------------------------------
# Typed tables


_STR = "str"


def _typed(name: str, data: Mapping[str, object], n: int | None = None) -> pd.DataFrame:
    """A table with the schema's columns in order and the dtypes validation gives them.

    Columns ``data`` lacks are empty (or their schema default).
    """
    schema = SCHEMAS[name]
    if n is None:
        n = len(next(iter(data.values()))) if data else 0
    out: dict[str, pd.Series] = {}
    for col in schema.columns:
        value = data.get(col.name)
        if value is None:
            value = [col.default] * n if col.default is not None else [None] * n
        if isinstance(value, (pa.Array, pa.ChunkedArray)):
            series = pd.Series(value, dtype=pd.StringDtype("pyarrow", na_value=np.nan))
        else:
            series = pd.Series(value)
        kind = col.kind
        if kind in ("id", "text", "category"):
            series = series.astype(_STR)
        elif kind == "int":
            series = pd.Series(pd.array(series.astype("float64").round(), dtype="Int64"))
        elif kind == "bool":
            series = series.astype("boolean")
        elif kind == "date":
            if series.dtype == object:  # ISO text, Timestamps and None from the specs
                series = pd.Series([pd.NaT if v is None or v is pd.NaT or (
                    isinstance(v, float) and np.isnan(v)) else pd.Timestamp(v)
                    for v in series], dtype="datetime64[ns]")
            series = pd.to_datetime(series).astype("datetime64[ns]")
        else:
            series = series.astype("float64")
        out[col.name] = series.reset_index(drop=True)
    return pd.DataFrame(out, index=pd.RangeIndex(n))


def _money(values: np.ndarray) -> np.ndarray:
    """Round to cents; ``+ 0.0`` turns -0.0 into 0.0 so files never say "-0"."""
    return np.round(values, 2) + 0.0


def _day(value: object) -> np.datetime64:
    return np.datetime64(pd.Timestamp(value).date(), "D")


def _iso(value: object) -> str | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).strftime("%Y-%m-%d")


def _as_of(value: object) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError) as exc:
        raise ParameterError("as_of", f"a date such as 2026-06-30, not {value!r}") from exc
    if ts is pd.NaT:
        raise ParameterError("as_of", "a date such as 2026-06-30")
    return ts.normalize()


def _year_bounds(as_of: pd.Timestamp, years: int) -> tuple[np.ndarray, np.ndarray]:
    """First day and length in days of each rolling year, oldest first (as kamkit.data.sales)."""
    ends = [as_of - pd.DateOffset(years=years - 1 - k) for k in range(years)]
    starts = [as_of - pd.DateOffset(years=years)] + ends[:-1]
    first = np.array([_day(s) + 1 for s in starts], dtype="datetime64[D]")
    last = np.array([_day(e) for e in ends], dtype="datetime64[D]")
    return first.astype(np.int64), (last - first).astype(np.int64) + 1


def _wallet_years(as_of: pd.Timestamp, years: int) -> list[int]:
    """The year each rolling year ends in: the years of the wallet and competitor tables."""
    return [int((as_of - pd.DateOffset(years=years - 1 - k)).year) for k in range(years)]


# --------------------------------------------------------------------------------------
# The catalogue


@dataclass(frozen=True)
class _Catalogue:
    lines: tuple[str, ...]
    margin: np.ndarray  # per line, margin at list price
    adoption: np.ndarray  # per line, share of customers that buy it
    products: tuple[str, ...]  # SKU codes
    price: np.ndarray  # per SKU, list price
    line_of: np.ndarray  # per SKU, its line
    popularity: np.ndarray  # (lines, max SKUs per line) weights, rows sum to 1
    sku_index: np.ndarray  # (lines, max SKUs per line) -> SKU index

    def line(self, name: str) -> int:
        return self.lines.index(name)


@functools.cache
def _catalogue() -> _Catalogue:
    spec = _pools()["catalogue"]
    width = max(len(s["products"]) for s in spec)
    popularity = np.zeros((len(spec), width))
    sku_index = np.zeros((len(spec), width), dtype=np.int64)
    products, prices, line_of = [], [], []
    for i, s in enumerate(spec):
        k = len(s["products"])
        # The first products of a line sell most (a Zipf-like tail).
        w = 1.0 / np.arange(1, k + 1) ** 0.8
        popularity[i, :k] = w / w.sum()
        for j, (code, price) in enumerate(s["products"]):
            sku_index[i, j] = len(products)
            products.append(code)
            prices.append(float(price))
            line_of.append(i)
    return _Catalogue(tuple(s["line"] for s in spec), np.array([s["margin"] for s in spec]),
                      np.array([s["adoption"] for s in spec]), tuple(products),
                      np.array(prices), np.array(line_of), popularity, sku_index)


def _pick(rng: np.random.Generator, owner: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Draw one column per item from the categorical row ``weights[owner]``, vectorised.

    The rows' cumulative weights, each shifted by its row number, form one ascending
    array, so a single ``searchsorted`` serves every row at once.
    """
    groups, k = weights.shape
    cum = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    flat = (np.arange(groups)[:, None] + cum).ravel()
    pos = np.searchsorted(flat, owner + rng.random(len(owner)), side="right")
    return np.minimum(pos - owner * k, k - 1)


# --------------------------------------------------------------------------------------
# Sales


@dataclass
class _SalesPlan:
    """What each customer buys: one row per account.

    revenue : (accounts, years) target net revenue per rolling year, 0 = not a customer.
    mix : (accounts, lines) share of each product line in its purchases.
    discount : average discount off list price.
    margin_shift : added to the product lines' margins (negative: cheap product mix).
    """

    revenue: np.ndarray
    mix: np.ndarray
    discount: np.ndarray
    margin_shift: np.ndarray

    @staticmethod
    def concat(plans: Sequence[_SalesPlan]) -> _SalesPlan:
        return _SalesPlan(*(np.concatenate([getattr(p, f) for p in plans]) for f in (
            "revenue", "mix", "discount", "margin_shift")))


@dataclass
class _Sales:
    """Transaction lines as arrays (account as a row number), sorted as the table is."""

    account: np.ndarray
    day: np.ndarray  # int64 days since 1970-01-01
    doc_type: np.ndarray  # index into _DOC_TYPES
    sku: np.ndarray
    quantity: np.ndarray
    revenue: np.ndarray
    cost: np.ndarray
    discount: np.ndarray
    seq: np.ndarray  # document number within its type and year

    @functools.cached_property
    def line(self) -> np.ndarray:
        """Product line of each row (computed once; rows are final when it is asked)."""
        return _catalogue().line_of[self.sku]

    def frame(self, ids: Sequence[str]) -> pd.DataFrame:
        cat = _catalogue()
        dates = self.day.astype("datetime64[D]")
        year = dates.astype("datetime64[Y]").astype(np.int64) + 1970
        width = max(5, len(str(int(self.seq.max(initial=0)))))
        prefix = pa.array([f"{_DOC_PREFIX[t]}-" for t in _DOC_TYPES]).take(
            pa.array(self.doc_type))
        document = pc.binary_join_element_wise(
            prefix, pc.cast(pa.array(year), pa.string()), pa.scalar("-"),
            pc.utf8_lpad(pc.cast(pa.array(self.seq), pa.string()), width, "0"), "")
        return _typed("transactions", {
            "date": dates.astype("datetime64[ns]"),
            "account_id": pa.array(list(ids)).take(pa.array(self.account)),
            "document": document,
            "doc_type": pa.array(list(_DOC_TYPES)).take(pa.array(self.doc_type)),
            "product": pa.array(list(cat.products)).take(pa.array(self.sku)),
            "product_line": pa.array(list(cat.lines)).take(pa.array(cat.line_of[self.sku])),
            "quantity": self.quantity,
            "revenue": self.revenue,
            "cost": self.cost,
            "discount": self.discount,
        }, n=len(self.day))


def _lines_per_cell(plan: _SalesPlan, lines_per_account_year: float) -> np.ndarray:
    """Expected lines per account and year: grows with revenue**0.4, averages the request."""
    active = plan.revenue > 0
    weight = np.where(active, np.maximum(plan.revenue, 1.0) / 10_000.0, 0.0) ** 0.4
    mean = weight[active].mean() if active.any() else 1.0
    return lines_per_account_year * weight / mean


def _draw_days(rng: np.random.Generator, year: np.ndarray, first: np.ndarray,
               length: np.ndarray) -> np.ndarray:
    """A day inside each line's rolling year, denser in strong months (rejection sampling)."""
    season = np.array(_pools()["season"]["weights"])
    accept = season / season.max()
    out = np.empty(len(year), dtype=np.int64)
    todo = np.arange(len(year))
    while todo.size:
        y = year[todo]
        day = first[y] + (rng.random(todo.size) * length[y]).astype(np.int64)
        month = day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12
        keep = rng.random(todo.size) < accept[month]
        out[todo[keep]] = day[keep]
        todo = todo[~keep]
    return out


def _draw_sales(rng: np.random.Generator, plan: _SalesPlan, as_of: pd.Timestamp,
                lines_per_account_year: float) -> _Sales:
    """Every transaction line of every account, vectorised over lines."""
    cat = _catalogue()
    accounts, years = plan.revenue.shape
    first, length = _year_bounds(as_of, years)
    lam = _lines_per_cell(plan, lines_per_account_year)
    count = np.where(plan.revenue > 0, 1 + rng.poisson(np.maximum(lam - 1.0, 0.0)), 0)
    cell = np.repeat(np.arange(accounts * years), count.ravel())
    account, year = cell // years, cell % years
    n = len(cell)
    # Invoice lines: a value around the cell's average, a product, a price, a discount.
    value = (plan.revenue.ravel() / np.maximum(count.ravel(), 1))[cell]
    value *= rng.lognormal(-0.18, 0.6, n)  # mean 1
    day = _draw_days(rng, year, first, length)
    line = _pick(rng, account, plan.mix)
    sku = cat.sku_index[line, _pick(rng, line, cat.popularity)]
    price = cat.price[sku]
    base = plan.discount[account]
    rate = np.clip(base + rng.normal(0.0, 0.025, n), 0.0, 0.45)
    # Smaller customers often pay list price; the large ones always negotiate.
    rate[rng.random(n) < 0.35 * np.clip(1.0 - base / 0.12, 0.0, 1.0)] = 0.0
    quantity = np.maximum(1.0, np.round(value / (price * (1.0 - rate))))
    gross = _money(quantity * price)
    discount = _money(gross * rate)
    revenue = _money(gross - discount)
    margin = np.clip(cat.margin[line] + plan.margin_shift[account]
                     + rng.normal(0.0, 0.03, n), 0.02, 0.9)
    cost = _money(gross * (1.0 - margin))
    del cell, year, value, line, price, base, rate, margin  # ~80 MB each at 10 M lines
    # Returns take back part of a line's quantity at its net price and cost.
    ret = np.flatnonzero(rng.random(n) < RETURN_RATE)
    back = np.minimum(quantity[ret], 1.0 + np.floor(rng.random(len(ret)) * quantity[ret]))
    share = back / quantity[ret]
    ret_day = np.minimum(day[ret] + rng.integers(3, 46, len(ret)), _day(as_of).astype(np.int64))
    # Credit notes correct the price of a line by a few percent, without goods moving.
    credit = np.flatnonzero(rng.random(n) < CREDIT_NOTE_RATE)
    cut = np.maximum(0.01, _money(revenue[credit] * rng.uniform(0.02, 0.12, len(credit))))
    cn_day = np.minimum(day[credit] + rng.integers(5, 61, len(credit)),
                        _day(as_of).astype(np.int64))
    k_r, k_c = len(ret), len(credit)
    del gross
    sales = _Sales(
        account=np.concatenate([account, account[ret], account[credit]]),
        day=np.concatenate([day, ret_day, cn_day]),
        doc_type=np.concatenate([np.zeros(n, np.int64), np.ones(k_r, np.int64),
                                 np.full(k_c, 2, np.int64)]),
        sku=np.concatenate([sku, sku[ret], sku[credit]]),
        quantity=np.concatenate([quantity, -back, np.zeros(k_c)]),
        revenue=np.concatenate([revenue, -_money(revenue[ret] * share), -cut]) + 0.0,
        cost=np.concatenate([cost, -_money(cost[ret] * share), np.zeros(k_c)]) + 0.0,
        discount=np.concatenate([discount, np.zeros(k_r + k_c)]),
        seq=np.zeros(n + k_r + k_c, np.int64),
    )
    return _number_documents(sales)


def _number_documents(s: _Sales) -> _Sales:
    """One document per account, day and kind; numbered per kind and year; rows sorted.

    Rows end sorted by date, account, document and product, the order the CSV keeps.
    Document numbers of one account and day differ only by prefix, so ``CN`` < ``INV``
    < ``RET`` is their order; products sort by their code.
    """
    cat = _catalogue()
    n = len(s.day)
    if n == 0:
        return s
    prefix_rank = np.argsort(np.argsort([_DOC_PREFIX[t] for t in _DOC_TYPES]))
    sku_rank = np.argsort(np.argsort(np.array(cat.products, dtype=object)))
    # One packed int64 key (day, account, prefix, product) sorts far faster than a
    # lexsort over several arrays; ties keep the order the lines were drawn in.
    key = s.day - s.day.min()
    for part, size in ((s.account, int(s.account.max()) + 1), (prefix_rank[s.doc_type], 3),
                       (sku_rank[s.sku], len(cat.products))):
        key = key * size + part
    order = np.argsort(key, kind="stable")
    del key
    for name in ("account", "day", "doc_type", "sku", "quantity", "revenue", "cost",
                 "discount"):
        setattr(s, name, getattr(s, name)[order])
    new_doc = np.ones(n, dtype=bool)
    new_doc[1:] = ((s.day[1:] != s.day[:-1]) | (s.account[1:] != s.account[:-1])
                   | (s.doc_type[1:] != s.doc_type[:-1]))
    doc = np.cumsum(new_doc) - 1
    heads = np.flatnonzero(new_doc)
    year = s.day[heads].astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64)
    group = s.doc_type[heads] * 100_000 + year
    # Documents are already in date order, so a stable sort by group keeps it inside.
    by_group = np.argsort(group, kind="stable")
    g_sorted = group[by_group]
    starts = np.r_[0, np.flatnonzero(g_sorted[1:] != g_sorted[:-1]) + 1]
    rank = np.arange(len(heads)) - np.repeat(starts, np.diff(np.r_[starts, len(heads)]))
    number = np.empty(len(heads), dtype=np.int64)
    number[by_group] = rank + 1
    s.seq = number[doc]
    return s


# --------------------------------------------------------------------------------------
# Customers


@dataclass(frozen=True)
class _Shape:
    """How a population of customers looks; see ``tail`` in the story file."""

    median: float = 25_000.0  # first-year revenue of the median customer
    sigma: float = 1.75  # lognormal spread: 1.75 puts ~80% of sales in the top 20%
    cap: float | None = None  # no customer of the population above this
    growth_mean: float = 0.03
    growth_sd: float = 0.12
    new_share: float = 0.06  # won during the window
    lost_share: float = 0.04  # gone before its end
    countries: dict[str, float] | None = None  # weights; default: the pools'


def _names(rng: np.random.Generator, country: np.ndarray) -> np.ndarray:
    """Company names in the country's script and legal form, distinct while they last."""
    pools = _pools()["countries"]
    out = np.empty(len(country), dtype=object)
    for code in sorted(pools):
        where = np.flatnonzero(country == code)
        if not where.size:
            continue
        c = pools[code]
        plain = [c["company"].format(stem=s, word=w) for s in c["stems"] for w in c["words"]]
        sited = [f"{p} ({city})" for city in c["cities"] for p in plain]
        order = list(np.array(plain, dtype=object)[rng.permutation(len(plain))]) + list(
            np.array(sited, dtype=object)[rng.permutation(len(sited))])
        if where.size <= len(order):
            out[where] = order[:where.size]
        else:
            # More customers than names: CRM-style "(2)", "(3)" on the repeats.
            pick = rng.integers(0, len(order), where.size)
            base = pd.Series(np.array(order, dtype=object)[pick])
            nth = base.groupby(base).cumcount().to_numpy()
            out[where] = np.where(nth == 0, base, base + " (" + (nth + 1).astype(str) + ")")
    return out


def _customers(rng: np.random.Generator, ids: Sequence[str], as_of: pd.Timestamp, years: int,
               shape: _Shape, owners: Sequence[str]) -> tuple[dict[str, np.ndarray], _SalesPlan]:
    """Accounts columns and sales plans of a population of customers, vectorised."""
    pools = _pools()
    cat = _catalogue()
    n = len(ids)
    weights = shape.countries or {k: v["weight"] for k, v in pools["countries"].items()}
    codes = sorted(weights)
    p = np.array([weights[c] for c in codes], dtype=float)
    country = np.array(codes, dtype=object)[rng.choice(len(codes), n, p=p / p.sum())]
    inds = pools["industries"]
    q = np.array([i["weight"] for i in inds], dtype=float)
    industry = rng.choice(len(inds), n, p=q / q.sum())
    is_distributor = np.array([i["segment"] == "distributor" for i in inds])[industry]

    size = shape.median * rng.lognormal(0.0, shape.sigma, n)
    if shape.cap is not None:
        size = np.minimum(size, shape.cap * rng.uniform(0.85, 1.0, n))
    pct = (np.argsort(np.argsort(size)) + 0.5) / n
    growth = np.clip(rng.normal(shape.growth_mean, shape.growth_sd, n), -0.35, 0.45)
    start = np.zeros(n, dtype=np.int64)
    stop = np.full(n, years, dtype=np.int64)
    fate = rng.random(n)
    if years > 1:
        won = fate < shape.new_share
        start[won] = rng.integers(1, years, won.sum())
        lost = (fate >= shape.new_share) & (fate < shape.new_share + shape.lost_share)
        stop[lost] = rng.integers(1, years, lost.sum())
    k = np.arange(years)
    revenue = size[:, None] * (1.0 + growth[:, None]) ** k[None, :]
    revenue[(k[None, :] < start[:, None]) | (k[None, :] >= stop[:, None])] = 0.0

    buys = rng.random((n, len(cat.lines))) < np.clip(
        cat.adoption[None, :] * (0.55 + 0.9 * pct[:, None]), 0.0, 0.97)
    buys[np.arange(n), rng.choice(len(cat.lines), n, p=cat.adoption / cat.adoption.sum())] = True
    mix = rng.gamma(0.9, 1.0, buys.shape) * buys + 1e-12 * buys
    discount = np.clip(0.015 + 0.09 * pct + 0.06 * is_distributor + rng.normal(0, 0.015, n),
                       0.0, 0.3)
    margin_shift = rng.normal(0.0, 0.025, n) - 0.05 * is_distributor

    strategic = np.clip(np.round(1.2 + 2.6 * pct + rng.normal(0, 0.9, n)), 1, 5)
    strategic[is_distributor] = np.minimum(strategic[is_distributor], 2)
    collaboration = np.clip(np.round(3.0 + rng.normal(0, 1.0, n)), 1, 5)
    collaboration[is_distributor] = np.minimum(collaboration[is_distributor], 2)
    potential = np.clip(np.round(3.0 + 7.0 * growth + rng.normal(0, 0.7, n)), 1, 5)
    stage = np.clip(np.round(2.4 * pct + 0.4 * (collaboration - 3) + rng.normal(0, 0.6, n)),
                    0, len(RELATIONSHIP_STAGES) - 1).astype(np.int64)
    ladder = np.clip(np.round(stage / 2 + rng.normal(0, 0.5, n)), 0,
                     len(LADDER_STEPS) - 1).astype(np.int64)
    # The year the relationship began: when its first rolling year starts for customers
    # won during the window, some years before the window for the others.
    first, _ = _year_bounds(as_of, years)
    opened = first.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    first_year = np.where(start > 0, opened[start], opened[0] - rng.geometric(0.12, n) + 1)
    their_revenue = np.round(size / rng.uniform(0.004, 0.03, n), -3)
    employees = np.maximum(5, np.round(their_revenue / rng.uniform(120_000, 260_000, n)))
    names = pd.Series(np.array([p["name"] for p in (pools["countries"][c] for c in codes)],
                               dtype=object)[np.searchsorted(codes, country)])
    description = (pd.Series(np.array([i["description"] for i in inds], dtype=object)[industry])
                   + " in " + names + ".")
    columns = {
        "account_id": np.array(ids, dtype=object),
        "name": _names(rng, country),
        "industry": np.array([i["industry"] for i in inds], dtype=object)[industry],
        "segment": np.array([i["segment"] for i in inds], dtype=object)[industry],
        "country": country,
        "owner": np.array(owners, dtype=object)[rng.integers(0, len(owners), n)],
        "first_year": first_year.astype(float),
        "strategic_role": strategic,
        "collaboration": collaboration,
        "growth_potential": potential,
        "relationship_stage": np.array(RELATIONSHIP_STAGES, dtype=object)[stage],
        "ladder_step": np.array(LADDER_STEPS, dtype=object)[ladder],
        "last_review": np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"),
        "employees": employees,
        "annual_revenue": their_revenue,
        "description": description.to_numpy(dtype=object),
        "decision_process": np.full(n, None, dtype=object),
        "previous_suppliers": np.full(n, None, dtype=object),
        "accepts_key_status": np.full(n, None, dtype=object),
    }
    return columns, _SalesPlan(revenue, mix, discount, margin_shift)


def _ids(prefix: str, start: int, n: int, width: int) -> list[str]:
    """``prefix`` + zero-padded numbers, so that ids sort as numbers do."""
    numbers = pd.Series(np.arange(start, start + n)).astype("str").str.zfill(width)
    return (prefix + numbers).tolist()


# --------------------------------------------------------------------------------------
# Dossiers: one builder for the story's hand-written specs and the generated ones


@dataclass
class _DossierRows:
    contacts: list[dict] = field(default_factory=list)
    competitors: list[dict] = field(default_factory=list)
    wallet: list[dict] = field(default_factory=list)
    needs: list[dict] = field(default_factory=list)
    swot: list[dict] = field(default_factory=list)
    opportunities: list[dict] = field(default_factory=list)
    goals: list[dict] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    feedback: list[dict] = field(default_factory=list)


class _Context:
    """What a dossier spec needs from the sales: revenue per period, by product line.

    Lines are indexed by account once, so looking at one account never scans them all.
    """

    def __init__(self, sales: _Sales, accounts: int, as_of: pd.Timestamp, years: int) -> None:
        self.sales = sales
        self.accounts = accounts
        self.as_of = as_of
        self.years = years
        self._order = np.argsort(sales.account, kind="stable")
        self._bounds = np.searchsorted(sales.account[self._order], np.arange(accounts + 1))

    def _lines(self, row: int) -> np.ndarray:
        return self._order[self._bounds[row]:self._bounds[row + 1]]

    def ours(self, row: int) -> np.ndarray:
        """Our revenue per wallet year: the larger of the rolling and the calendar year.

        The wallet table's ``year`` is an integer; whether a reader matches it with the
        rolling year ending in it or with the calendar year, our share stays at or below
        the spec's figure, and ours plus the competitors' at or below 1.
        """
        first, length = _year_bounds(self.as_of, self.years)
        rolling = self.revenue(row, first, length)
        wallet_years = _wallet_years(self.as_of, self.years)
        cal_first = np.array([_day(f"{y}-01-01") for y in wallet_years]).astype(np.int64)
        cal_len = np.array([pd.Timestamp(f"{y}-12-31").day_of_year for y in wallet_years])
        return np.maximum(rolling, self.revenue(row, cal_first, cal_len))

    def revenue(self, row: int, first: np.ndarray, length: np.ndarray,
                line: str | None = None) -> np.ndarray:
        """Net revenue of one account in each period ``[first, first + length)``."""
        idx = self._lines(row)
        s = self.sales
        if line is not None:
            idx = idx[s.line[idx] == _catalogue().line(line)]
        day, rev = s.day[idx], s.revenue[idx]
        return np.array([rev[(day >= a) & (day < a + n)].sum() for a, n in zip(
            first, length, strict=True)])

    def revenue_12m(self, row: int, end: object, line: str | None = None) -> float:
        """Net revenue in the twelve months up to ``end`` (inclusive)."""
        e = int(_day(end).astype(np.int64))
        s = int(_day(pd.Timestamp(end) - pd.DateOffset(years=1)).astype(np.int64)) + 1
        return float(self.revenue(row, np.array([s]), np.array([e - s + 1]), line)[0])

    def lines_bought(self, row: int) -> list[str]:
        """Product lines the account bought on invoices, in catalogue order."""
        idx = self._lines(row)
        idx = idx[self.sales.doc_type[idx] == 0]
        return [_catalogue().lines[i] for i in np.unique(self.sales.line[idx])]


def _suffix(account_id: str) -> str:
    """``CX-007`` -> ``007``: the part of an account id that child ids carry."""
    return account_id.rsplit("-", 1)[-1]


def _quarter_days(as_of: pd.Timestamp, years: int) -> list[pd.Timestamp]:
    """Survey dates: the 15th of the middle month of each quarter, oldest first."""
    days = []
    for j in range(4 * years):
        d = as_of - pd.DateOffset(months=3 * j + 1)
        days.append(pd.Timestamp(year=d.year, month=d.month, day=15))
    return days[::-1]


def _build_dossier(rows: _DossierRows, rng: np.random.Generator, ctx: _Context, row: int,
                   account: Mapping[str, object], spec: Mapping[str, Any]) -> None:
    """Turn one account's dossier spec into table rows; ids follow the account's id."""
    aid = str(account["account_id"])
    sfx = _suffix(aid)
    wallet_years = _wallet_years(ctx.as_of, ctx.years)

    for i, c in enumerate(spec.get("contacts", []), start=1):
        name, title, dept, level, role, influence, attitude, strength, owner, last = c
        rows.contacts.append({
            "contact_id": f"P-{sfx}-{i:02d}", "account_id": aid, "name": name, "title": title,
            "department": dept, "level": level, "buying_role": role, "influence": influence,
            "attitude": attitude, "relationship_strength": strength, "our_owner": owner,
            "last_contact": last})

    if "wallet_share" in spec:
        ours = ctx.ours(row)
        share = np.array(spec["wallet_share"], dtype=float)
        # Spend rounded up to thousands keeps our share at or below the story's figure.
        spend = np.ceil(ours / share / 1000.0) * 1000.0
        for y, v in zip(wallet_years, spend, strict=True):
            rows.wallet.append({"account_id": aid, "year": y, "spend": float(v)})
        total = share.copy()
        for comp in spec.get("competitors", []):
            shares = np.broadcast_to(np.array(comp["share"], dtype=float), share.shape)
            total = total + shares
            for y, v in zip(wallet_years, shares, strict=True):
                rows.competitors.append({
                    "account_id": aid, "competitor": comp["competitor"], "year": y,
                    "share_of_wallet": float(v), "strengths": comp.get("strengths"),
                    "weaknesses": comp.get("weaknesses"), "threat": comp["threat"]})
        if (total > 1.0 + 1e-9).any():
            raise ValueError(f"{aid}: our share plus competitors' exceeds 1 ({total})")

    local: dict[str, str] = {}
    for i, (kind, priority, source, date, text) in enumerate(spec.get("needs", []), start=1):
        local[f"N{i}"] = f"N-{sfx}-{i:02d}"
        rows.needs.append({"need_id": local[f"N{i}"], "account_id": aid, "need": text,
                           "kind": kind, "priority": priority, "source": source,
                           "date": date})
    for quadrant in ("strength", "weakness", "opportunity", "threat"):
        for item in spec.get("swot", {}).get(quadrant, []):
            rows.swot.append({"account_id": aid, "quadrant": quadrant, "item": item})
    for i, o in enumerate(spec.get("opportunities", []), start=1):
        text, line, kind, v1, v3, v5, prob = o
        local[f"O{i}"] = f"O-{sfx}-{i:02d}"
        rows.opportunities.append({
            "opportunity_id": local[f"O{i}"], "account_id": aid, "opportunity": text,
            "product_line": line, "kind": kind, "value_1y": v1, "value_3y": v3,
            "value_5y": v5, "probability": prob})

    goal_ids: list[str] = []
    for i, g in enumerate(spec.get("goals", []), start=1):
        gid = f"G-{sfx}-{i}"
        goal_ids.append(gid)
        baseline, target = g.get("baseline"), g.get("target")
        if baseline == "sales":
            # Revenue of the scope in the twelve months before the goal was set, so that
            # plan attainment measured from transactions starts where the plan did.
            scope = g.get("scope")
            line = scope if scope in _catalogue().lines else None
            baseline = round(ctx.revenue_12m(row, g["start"], line), -3)
            if "target_change" in g:
                target = round(baseline * (1.0 + g["target_change"]), -3)
        linked = g.get("linked_to")
        rows.goals.append({
            "goal_id": gid, "account_id": aid, "goal": g["goal"], "metric": g.get("metric"),
            "scope": g.get("scope"), "baseline": baseline, "target": target,
            "start": g.get("start"), "deadline": g.get("deadline"),
            "linked_to": local.get(linked, linked), "owner": g.get("owner"),
            "move": g.get("move"), "actual": g.get("actual")})
    for i, a in enumerate(spec.get("actions", []), start=1):
        goal, text, strategy, dept, owner, start, due, status, budget, done, milestone = a
        rows.actions.append({
            "action_id": f"A-{sfx}-{i:02d}", "account_id": aid, "goal_id": goal_ids[goal - 1],
            "action": text, "strategy": strategy, "department": dept, "owner": owner,
            "start": start, "due": due, "status": status, "budget": budget, "done_date": done,
            "milestone": milestone})

    fb = spec.get("feedback")
    if fb:
        _quarterly_feedback(rows, rng, ctx, aid, fb)


def _quarterly_feedback(rows: _DossierRows, rng: np.random.Generator, ctx: _Context, aid: str,
                        fb: Mapping[str, Any]) -> None:
    days = _quarter_days(ctx.as_of, ctx.years)
    marked = {pd.Timestamp(d): v for d, *v in fb.get("answers", [])}
    unknown = set(marked) - set(days)
    if unknown:
        raise ValueError(f"{aid}: feedback dates {sorted(unknown)} are not survey dates {days}")
    noise = rng.choice([-1, 0, 0, 0, 0, 0, 1], len(days))
    for d, e in zip(days, noise, strict=True):
        if d in marked:
            sat, nps, referrals, comment = marked[d]
        else:
            sat = float(np.clip(fb["satisfaction"] + e, 1, 5))
            nps = int(np.clip(fb["nps"] + e + rng.integers(-1, 2), 0, 10))
            referrals = int(rng.poisson(fb.get("referrals", 0.2)))
            comment = None
        rows.feedback.append({"account_id": aid, "date": d, "respondent": fb.get("respondent"),
                              "satisfaction": sat, "nps": nps, "referrals": referrals,
                              "comment": comment})


_SORT_KEYS = {
    "accounts": ["account_id"],
    "contacts": ["contact_id"],
    "competitors": ["account_id", "year", "competitor"],
    "wallet": ["account_id", "year"],
    "needs": ["need_id"],
    "swot": ["account_id"],  # stable: quadrants in SWOT order, items as written
    "opportunities": ["opportunity_id"],
    "goals": ["goal_id"],
    "actions": ["action_id"],
    "feedback": ["account_id", "date", "respondent"],
}


def _sorted(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Rows in the table's fixed order, so files are byte-identical run after run."""
    keys = _SORT_KEYS.get(name)
    if keys and len(frame):
        frame = frame.sort_values(keys, kind="stable", na_position="first")
    return frame.reset_index(drop=True)


def _finish(name: str, data: Mapping[str, object] | list[dict]) -> pd.DataFrame:
    """A typed, sorted table from columns or from a list of row dicts."""
    if isinstance(data, list):
        data = {c: [r.get(c) for r in data] for c in SCHEMAS[name].names}
        return _sorted(name, _typed(name, data, n=len(data[SCHEMAS[name].names[0]])))
    return _sorted(name, _typed(name, data))


def _stack(name: str, *frames: pd.DataFrame) -> pd.DataFrame:
    """Typed tables of the same kind, one after the other, in the table's order."""
    return _sorted(name, pd.concat([f for f in frames if len(f)] or frames[:1],
                                   ignore_index=True))


def _dossier_frames(rows: _DossierRows) -> Frames:
    return {name: _finish(name, getattr(rows, name)) for name in (
        "contacts", "competitors", "wallet", "needs", "swot", "opportunities", "goals",
        "actions", "feedback")}


# --------------------------------------------------------------------------------------
# Generated dossiers for the key candidates of a generic portfolio


def _person(rng: np.random.Generator, country: str, taken: set[str]) -> str:
    c = _pools()["countries"][country]
    for _ in range(50):
        first, last = c["first"], c["last"]
        name = f"{first[rng.integers(len(first))]} {last[rng.integers(len(last))]}"
        if name not in taken:
            break
    taken.add(name)
    return name


def _days_before(as_of: pd.Timestamp, low: int, high: int, rng: np.random.Generator) -> str:
    return _iso(as_of - pd.Timedelta(days=int(rng.integers(low, high))))


def _generated_spec(rng: np.random.Generator, ctx: _Context, row: int,
                    account: Mapping[str, Any], currency: str) -> dict[str, Any]:
    """A plausible dossier and plan for one key candidate, from the word pools.

    Real dossiers have gaps, so some are left in by chance: a missing coach, an
    anti-sponsor, a contact not called for months, an action nobody owns.
    """
    pools = _pools()
    text = pools["text"]
    staff = pools["staff"]
    as_of = ctx.as_of
    country = str(account["country"])
    kam = str(account["owner"])
    chart = pools["org_chart"]
    extra = [chart["extra"][i] for i in sorted(rng.choice(len(chart["extra"]),
                                                          int(rng.integers(0, 6)), False))]
    positions = [list(p) for p in chart["core"]] + [list(p) for p in extra]
    if rng.random() < 0.25:  # a gap: nobody in the coach role
        positions = [p for p in positions if p[3] != "coach"]
    attitude_p = np.array([0.22, 0.33, 0.28, 0.17])
    anti = int(rng.integers(1, len(positions))) if rng.random() < 0.25 else -1
    taken: set[str] = set()
    contacts = []
    for i, (title, dept, level, role, influence) in enumerate(positions):
        attitude = "anti_sponsor" if i == anti else ATTITUDES[int(rng.choice(4, p=attitude_p))]
        strength = {"sponsor": 5, "supporter": 4, "neutral": 3, "skeptic": 2,
                    "anti_sponsor": 1}[attitude] - int(rng.integers(0, 2))
        owner = kam if level in ("executive", "senior") else staff["departments"][
            "service" if dept in ("maintenance", "production") else "engineering"]
        stale = rng.random() < 0.12
        last = _days_before(as_of, 95, 240, rng) if stale else _days_before(as_of, 2, 80, rng)
        contacts.append([_person(rng, country, taken), title, dept, level, role,
                         int(np.clip(influence + rng.integers(-1, 2), 1, 5)), attitude,
                         max(1, strength), owner, last])

    bought = ctx.lines_bought(row)
    whitespace = [x for x in _catalogue().lines if x not in bought]
    line = bought[int(rng.integers(len(bought)))] if bought else _catalogue().lines[0]
    line2 = whitespace[0] if whitespace else line
    fill = {"line": line, "line2": line2, "industry": account["industry"],
            "country": pools["countries"][country]["name"],
            "city": pools["countries"][country]["cities"][0]}
    needs = []
    for kind, k in (("pain_point", 1), ("stated", int(rng.integers(1, 3))), ("hidden", 1)):
        for t in rng.choice(len(text["needs"][kind]), k, replace=False):
            needs.append([kind, ["high", "medium", "low"][int(rng.integers(0, 2 if kind ==
                                                                         "pain_point" else 3))],
                          ["interview", "data", "feedback", "market_trend"][int(rng.integers(4))],
                          _days_before(as_of, 10, 360, rng),
                          text["needs"][kind][int(t)].format(**fill)])
    swot = {q: [text["swot"][q][int(t)].format(**fill) for t in rng.choice(
        len(text["swot"][q]), int(rng.integers(1, 3)), replace=False)]
        for q in ("strength", "weakness", "opportunity", "threat")}

    last_year = ctx.revenue_12m(row, as_of)
    opportunities = []
    wanted = [("cross_sell", w) for w in whitespace[:int(rng.integers(1, 3))]]
    upsell = len(wanted) + 1  # the up-sell the expand goal answers (1-based, as "O<k>")
    wanted += [("up_sell", line)] + ([("new_business", line)] if rng.random() < 0.5 else [])
    for kind, ln in wanted:
        v1 = round(max(last_year, 20_000.0) * rng.uniform(0.05, 0.25), -3)
        v3 = round(v1 * rng.uniform(1.5, 3.0), -3)
        v5 = round(v3 * rng.uniform(1.05, 1.6), -3)
        label = text["opportunities"][kind].format(Line=ln.capitalize(), line=ln,
                                                   city=fill["city"])
        opportunities.append([label, ln, kind, v1, v3, v5, round(float(rng.uniform(0.15, 0.7)),
                                                                 2)])

    share = round(float(rng.uniform(0.3, 0.65)), 2)
    n_comp = int(rng.integers(1, 4))
    comp_rows = [pools["competitors"][int(i)] for i in sorted(rng.choice(
        len(pools["competitors"]), n_comp, replace=False))]
    # At most 85% of what we leave, so a rising trend (+10%) still fits in the wallet.
    split = rng.dirichlet(np.ones(n_comp)) * (1.0 - share) * rng.uniform(0.5, 0.85)
    competitors = []
    for (name, strong, weak), s in zip(comp_rows, split, strict=True):
        trend = np.round(s * (1.0 + np.linspace(-0.1, 0.1, ctx.years)
                              * rng.choice([-1, 1])), 3)
        competitors.append({"competitor": name, "share": trend.tolist(), "strengths": strong,
                            "weaknesses": weak,
                            "threat": "high" if s > 0.25 else ("medium" if s > 0.12 else "low")})
    wallet_share = np.round(share * (1.0 + np.linspace(-0.06, 0.0, ctx.years)), 3).tolist()

    start = _iso(as_of - pd.Timedelta(days=int(rng.integers(30, 150))))
    deadline = _iso(as_of + pd.Timedelta(days=int(rng.integers(120, 360))))
    pct = int(rng.choice([8, 10, 12, 15, 20]))
    plan = text["goals"]
    goals = [{"goal": plan["expand"].format(pct=pct, line=line, deadline=deadline),
              "metric": "revenue", "scope": line, "baseline": "sales",
              "target_change": pct / 100, "start": start, "deadline": deadline,
              "linked_to": f"O{upsell}", "owner": kam, "move": "expand"}]
    if opportunities[0][2] == "cross_sell":  # whitespace: a line it does not buy yet
        target = opportunities[0][3]
        goals.append({"goal": plan["penetrate"].format(
            line=opportunities[0][1], amount=f"{target:,.0f} {currency}", deadline=deadline),
            "metric": "revenue", "scope": opportunities[0][1], "baseline": 0.0,
            "target": target, "start": start, "deadline": deadline, "linked_to": "O1",
            "owner": kam, "move": "penetrate"})
    sat0 = float(rng.choice([3.0, 3.5]))
    goals.append({"goal": plan["satisfaction"].format(
        baseline=sat0, target=sat0 + 0.5, deadline=deadline, need=needs[0][4]),
        "metric": "satisfaction", "scope": None, "baseline": sat0, "target": sat0 + 0.5,
        "start": start, "deadline": deadline, "linked_to": "N1", "owner": kam,
        "move": "protect", "actual": sat0})
    top = max(competitors, key=lambda c: c["share"][-1])
    if top["threat"] == "high" or rng.random() < 0.4:
        goals.append({"goal": plan["protect"].format(
            target_pct=int(round(wallet_share[-1] * 100)), competitor=top["competitor"],
            deadline=deadline), "metric": "share_of_wallet", "scope": None,
            "baseline": wallet_share[-1], "target": wallet_share[-1], "start": start,
            "deadline": deadline, "linked_to": "N1", "owner": kam, "move": "protect"})
    actions = []
    templates = text["actions"]
    for gi in range(1, len(goals) + 1):
        for t in sorted(rng.choice(len(templates), int(rng.integers(2, 5)), replace=False)):
            dept, what, strategy = templates[int(t)]
            a_start = as_of + pd.Timedelta(days=int(rng.integers(-150, 60)))
            a_due = a_start + pd.Timedelta(days=int(rng.integers(30, 200)))
            if a_start > as_of:
                status, done = "planned", None
            elif a_due <= as_of and rng.random() < 0.8:
                status, done = "done", _iso(min(a_due, as_of) - pd.Timedelta(
                    days=int(rng.integers(0, 10))))
            else:
                status, done = str(rng.choice(["in_progress", "in_progress", "blocked"])), None
            owner = kam if dept == "sales" else staff["departments"][dept]
            if rng.random() < 0.05:
                owner = None
            actions.append([gi, what, strategy, dept, owner, _iso(a_start), _iso(a_due),
                            status, float(round(rng.uniform(2, 60)) * 1000), done,
                            bool(rng.random() < 0.2)])
    return {"wallet_share": wallet_share, "competitors": competitors, "contacts": contacts,
            "needs": needs, "swot": swot, "opportunities": opportunities, "goals": goals,
            "actions": actions,
            "feedback": {"satisfaction": float(np.clip(account["collaboration"], 3, 5)),
                         "nps": int(np.clip(2 * account["collaboration"] - 1, 5, 10)),
                         "referrals": 0.2, "respondent": contacts[-1][1]}}


def _tail_feedback(rng: np.random.Generator, ids: np.ndarray, ctx: _Context,
                   share: float = 0.3) -> dict[str, object]:
    """Occasional survey answers from the long tail, vectorised over customers."""
    fb = _pools()["text"]["feedback"]
    who = np.flatnonzero(rng.random(len(ids)) < share)
    per = rng.integers(1, 4, len(who))
    acct = np.repeat(who, per)
    n = len(acct)
    end = _day(ctx.as_of).astype(np.int64)
    day = end - rng.integers(0, 365 * min(ctx.years, 2), n)
    sat = np.clip(np.round(rng.normal(3.8, 0.8, n)), 1, 5)
    nps = np.clip(np.round(2.0 * sat - 1.0 + rng.normal(0, 1.2, n)), 0, 10)
    good = np.array(fb["good"], dtype=object)[rng.integers(0, len(fb["good"]), n)]
    bad = np.array(fb["bad"], dtype=object)[rng.integers(0, len(fb["bad"]), n)]
    comment = np.where(sat >= 4, good, np.where(rng.random(n) < 0.7, bad, ""))
    comment = np.where(comment == "", None, comment)
    return {"account_id": ids[acct], "date": day.astype("datetime64[D]").astype(
        "datetime64[ns]"), "respondent": np.full(n, "Purchasing", dtype=object),
        "satisfaction": sat, "nps": nps, "referrals": (rng.random(n) < 0.08).astype(float),
        "comment": comment}


# --------------------------------------------------------------------------------------
# Public API


def _check_params(accounts: int, years: int, lines: float | None) -> None:
    if not isinstance(accounts, (int, np.integer)) or accounts < 1:
        raise ParameterError("accounts", "a whole number of customers, 1 or more")
    if not isinstance(years, (int, np.integer)) or not 1 <= years <= 20:
        raise ParameterError("years", "a whole number of rolling years from 1 to 20")
    if lines is not None and not (isinstance(lines, (int, float)) and lines >= 1):
        raise ParameterError("lines_per_account_year", "a number of lines, 1 or more")


def _candidates(columns: Mapping[str, np.ndarray], plan: _SalesPlan) -> np.ndarray:
    """Rows of the key candidates: the top by last year's revenue, lifted by potential."""
    n = len(plan.revenue)
    k = min(CANDIDATE_CAP, max(1, math.ceil(CANDIDATE_SHARE * n)))
    score = plan.revenue[:, -1] * (1.0 + 0.25 * (columns["growth_potential"] - 3.0)) * (
        1.0 + 0.15 * (columns["strategic_role"] - 3.0))
    order = np.lexsort((np.arange(n), -score))
    return np.sort(order[:k])


def generate_frames(accounts: int = 150, years: int = 3, seed: int = 7,
                    as_of: object = "2026-06-30", lines_per_account_year: float | None = None,
                    currency: str = "EUR") -> tuple[Frames, Meta]:
    """Draw a generic synthetic portfolio as typed tables, without validating it.

    The tables come out exactly as :func:`kamkit.data.portfolio.from_frames` would type them,
    so they can go straight to a benchmark or to :func:`write`.

    Parameters
    ----------
    accounts : int
        Number of customers. ``100_000`` gives about ten million transaction lines.
    years : int
        Rolling years of transactions ending at ``as_of``.
    seed : int
        Seed of every random draw; the same arguments give the same tables.
    as_of : str or date
        The portfolio's "today"; no fact lies after it.
    lines_per_account_year : float, optional
        Average transaction lines per customer and year (default 33).
    currency : str
        ISO 4217 code stated in ``meta``.

    Returns
    -------
    frames : dict of str to DataFrame
        Every table of the data model; the key candidates (the top 10% by revenue and
        potential, at most 60) have contacts, competitors, wallet, needs, SWOT,
        opportunities, goals and actions; the long tail has sales and some feedback.
    meta : dict
        ``portfolio``, ``company``, ``currency``, ``as_of`` and ``key_account_managers``.

    Examples
    --------
    >>> frames, meta = generate_frames(accounts=40, years=2, seed=3)
    >>> len(frames["accounts"]), meta["as_of"]
    (40, '2026-06-30')
    >>> bool((frames["transactions"]["date"] <= "2026-06-30").all())
    True
    """
    _check_params(accounts, years, lines_per_account_year)
    day = _as_of(as_of)
    lines = DEFAULT_LINES_PER_ACCOUNT_YEAR if lines_per_account_year is None else float(
        lines_per_account_year)
    r_accounts, r_sales, r_dossier, r_feedback = _streams(seed, 4)
    pools = _pools()
    width = max(3, len(str(accounts)))
    ids = _ids("C-", 1, accounts, width)
    columns, plan = _customers(r_accounts, ids, day, years, _Shape(),
                               pools["staff"]["sales_reps"])
    cand = _candidates(columns, plan)
    kams = _kam_names(max(1, math.ceil(len(cand) / 5)))
    # Key candidates: a key account manager, a reviewed dossier, a view on key status.
    columns["owner"][cand] = np.array(kams, dtype=object)[np.arange(len(cand)) % len(kams)]
    review = r_accounts.integers(5, 200, len(cand))
    columns["last_review"][cand] = (np.datetime64(day.date(), "D") - review).astype(
        "datetime64[ns]")
    columns["accepts_key_status"][cand] = columns["collaboration"][cand] >= 3
    columns["decision_process"][cand] = "Framework agreement renewed every 3 years; " \
        "call-offs by procurement"
    sales = _draw_sales(r_sales, plan, day, lines)
    ctx = _Context(sales, accounts, day, years)
    rows = _DossierRows()
    for r in cand:
        account = {k: v[r] for k, v in columns.items()}
        _build_dossier(rows, r_dossier, ctx, int(r), account,
                       _generated_spec(r_dossier, ctx, int(r), account, currency))
    frames: Frames = {"accounts": _finish("accounts", columns),
                      "transactions": sales.frame(ids)}
    frames.update(_dossier_frames(rows))
    tail = np.setdiff1d(np.arange(accounts), cand)
    tail_fb = _tail_feedback(r_feedback, np.array(ids, dtype=object)[tail], ctx)
    frames["feedback"] = _stack("feedback", frames["feedback"], _finish("feedback", tail_fb))
    meta: Meta = {"portfolio": f"Synthetic portfolio (seed {seed})",
                  "company": "Example Electronics", "currency": currency,
                  "as_of": day.strftime("%Y-%m-%d"), "key_account_managers": len(kams)}
    return frames, meta


def _kam_names(n: int) -> list[str]:
    staff = list(_pools()["staff"]["key_account_managers"])
    if n <= len(staff):
        return staff[:n]
    c = _pools()["countries"]
    extra = [f"{f} {last}" for code in ("PL", "DE", "NL", "CZ") for f in c[code]["first"]
             for last in c[code]["last"]]
    return staff + extra[: n - len(staff)]


def generate(accounts: int = 150, years: int = 3, seed: int = 7,
             as_of: object = "2026-06-30", lines_per_account_year: float | None = None,
             currency: str = "EUR") -> Portfolio:
    """Build and validate a generic synthetic portfolio.

    Parameters are those of :func:`generate_frames`.

    Returns
    -------
    Portfolio
        Validated by :func:`kamkit.data.portfolio.from_frames`.

    Examples
    --------
    >>> p = generate(accounts=30, years=2, seed=5)
    >>> len(p.accounts), p.currency
    (30, 'EUR')
    """
    frames, meta = generate_frames(accounts, years, seed, as_of, lines_per_account_year,
                                   currency)
    return from_frames(frames, meta, source=meta["portfolio"])


# --------------------------------------------------------------------------------------
# Company X


def company_x_frames() -> tuple[Frames, Meta]:
    """The Company X case study as typed tables (see :func:`company_x`).

    Returns
    -------
    frames : dict of str to DataFrame
    meta : dict
    """
    story = _story()
    cat = _catalogue()
    day = _as_of(story["meta"]["as_of"])
    years = int(story["years"])
    r_accounts, r_sales, r_dossier, r_feedback = _streams(int(story["seed"]), 4)
    cast = story["accounts"]
    n_tail = int(story["tail"]["accounts"])
    width = int(story["id_width"])
    prefix = story["id_prefix"]
    cast_ids = [a["account_id"] for a in cast]
    if cast_ids != _ids(prefix, 1, len(cast), width):
        raise ValueError(f"story accounts must be numbered {prefix}{1:0{width}d} onwards")
    tail_ids = _ids(prefix, len(cast) + 1, n_tail, width)
    shape = _Shape(**{k: v for k, v in story["tail"].items()
                      if k in _Shape.__dataclass_fields__})
    columns, tail_plan = _customers(r_accounts, tail_ids, day, years, shape,
                                    _pools()["staff"]["sales_reps"])

    fields = [c for c in SCHEMAS["accounts"].names]
    cast_columns = {f: np.array([a.get(f) for a in cast], dtype=object) for f in fields}
    mix = np.zeros((len(cast), len(cat.lines)))
    for i, a in enumerate(cast):
        for line, w in a["sales"]["mix"].items():
            mix[i, cat.line(line)] = w
    cast_plan = _SalesPlan(
        revenue=np.array([a["sales"]["revenue"] for a in cast], dtype=float),
        mix=mix,
        discount=np.array([a["sales"]["discount"] for a in cast], dtype=float),
        margin_shift=np.array([a["sales"].get("margin_shift", 0.0) for a in cast], dtype=float))
    plan = _SalesPlan.concat([cast_plan, tail_plan])
    for f in fields:
        columns[f] = np.concatenate([cast_columns[f], np.asarray(columns[f], dtype=object)])
    ids = cast_ids + tail_ids
    sales = _draw_sales(r_sales, plan, day, float(story["lines_per_account_year"]))
    ctx = _Context(sales, len(ids), day, years)
    rows = _DossierRows()
    for i, a in enumerate(cast):
        _build_dossier(rows, r_dossier, ctx, i, a, a.get("dossier", {}))
    frames: Frames = {"accounts": _finish("accounts", columns),
                      "transactions": sales.frame(ids)}
    frames.update(_dossier_frames(rows))
    tail_fb = _tail_feedback(r_feedback, np.array(tail_ids, dtype=object), ctx,
                             share=float(story["tail"].get("feedback_share", 0.3)))
    frames["feedback"] = _stack("feedback", frames["feedback"], _finish("feedback", tail_fb))
    return frames, dict(story["meta"])


def company_x() -> Portfolio:
    """The Company X case study: the methodology's worked example as a portfolio.

    An electronics manufacturer (EUR, as of 2026-06-30, three rolling years of sales)
    whose three largest customers buy over half of its sales and whose key customers
    suffer from spare parts that do not arrive on time. About 150 customers in twelve
    countries, named in Latin, Cyrillic and Persian script; fifteen story accounts
    (``CX-001`` ... ``CX-015``) carry the dossiers and plans the workshop works on,
    with their deliberate gaps. ``docs/case-study.md`` tells the story.

    Returns
    -------
    Portfolio

    Examples
    --------
    >>> p = company_x()
    >>> p.meta.name, p.currency, str(p.as_of.date())
    ('Company X', 'EUR', '2026-06-30')
    >>> p.summary().top3_share > 0.5
    True
    """
    frames, meta = company_x_frames()
    return from_frames(frames, meta, source="Company X")


# --------------------------------------------------------------------------------------
# Writing


def write(portfolio_or_frames: Portfolio | tuple[Frames, Meta], out: str | Path,
          format: str = "csv", overwrite: bool = False) -> Path:  # noqa: A002
    """Write a portfolio, or the ``(frames, meta)`` of :func:`generate_frames`, to ``out``.

    A thin wrapper over :func:`kamkit.data.portfolio.save`. Frames from this module are
    already typed, so they are written as they are, without a second validation of
    millions of rows; any other frames should go through
    :func:`kamkit.data.portfolio.from_frames` first.

    Parameters
    ----------
    portfolio_or_frames : Portfolio or (dict, dict)
    out : str or Path
        Folder (csv, parquet) or workbook (xlsx).
    format : {"csv", "parquet", "xlsx"}
    overwrite : bool
        Replace existing files.

    Returns
    -------
    Path

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write(generate_frames(accounts=20, years=1, seed=2), tmp, "parquet")
    ...     sorted(p.name for p in path.iterdir())[:3]
    ['accounts.parquet', 'actions.parquet', 'competitors.parquet']
    """
    if isinstance(portfolio_or_frames, Portfolio):
        portfolio = portfolio_or_frames
    else:
        frames, meta = portfolio_or_frames
        present = frozenset(n for n in TABLES if n in frames and len(frames[n]))
        tables = dict(frames)
        portfolio = Portfolio(
            tables=tables,
            meta=PortfolioMeta(name=str(meta.get("portfolio", "portfolio")),
                               company=meta.get("company"),  # type: ignore[arg-type]
                               currency=meta.get("currency"),  # type: ignore[arg-type]
                               as_of=pd.Timestamp(meta["as_of"]),  # type: ignore[arg-type]
                               key_account_managers=meta.get(  # type: ignore[arg-type]
                                   "key_account_managers")),
            source="generated tables", present=present)
    return save(portfolio, out, format, overwrite=overwrite)
