#!/usr/bin/env python3
"""Generate bookmesh's SYNTHETIC fraud-detection training set (seeded, deterministic).

Nothing here is real data. Every row is one invented bookstore checkout, described only by
features that bookmesh's fraud service can compute from an order and its own recent history;
the label ("was this order fraudulent?") comes from a documented, noisy formula below. The
point is a model with realistic structure for the simulation, not a claim about real fraud.

Features (integers; the order is the model's input order, mirrored by
`engine/src/fraud/features.rs::FEATURE_NAMES`):

  amount_cents                order total in cents
  total_quantity              sum of item quantities
  distinct_items              number of different books
  card_uses_in_window         uses of this card in the velocity window, this order included (>= 1)
  distinct_cards_for_contact  different cards this user/contact used in the window (>= 1)
  billing_country_mismatch    1 if the billing country differs from the user's usual country
  name_length                 characters in the trimmed user name
  name_digit_permille         digits per 1000 name characters (integer division)
  name_has_vowel              1 if the name has a vowel (any non-Latin letter counts as one)
  name_words                  whitespace-separated words in the name
  email_disposable            1 if the contact is an address at a throwaway-mail domain
  expiry_months_ahead         months from the simulated "now" to the card's expiry (0 = this month)
  shipping_method             0 standard, 1 priority, 2 express
  gift_wrap                   1 if gift wrapping was asked for
  hour_of_day                 hour of the simulated clock, 0..23
  po_box                      1 if the billing street looks like a PO box

How rows are drawn: each checkout belongs to a hidden session profile, "shopper" (88 %) or
"suspicious" (12 %, think card testers and resellers). The profile only shifts the feature
distributions (suspicious sessions reuse cards quickly, ship express abroad, order many copies
of one book, use throwaway mail, odd names, cards far from or close to expiry, night hours).
Suspicious sessions also carry a hidden intent term in the label, which no feature shows.

How the label is drawn (logistic, then a coin flip, so the Bayes-optimal AUC is well below 1):

  z = -3.4
      + 0.9 * max(0, ln(amount_cents / 15000))              big baskets
      + {1: 0, 2: 0.2, 3: 0.8, 4: 1.5, >=5: 2.3}[card uses]   velocity, non-linear
      + {1: 0, 2: 0.5, 3: 1.3, >=4: 2.0}[distinct cards]      card cycling
      + 0.7 * mismatch + 0.9 * (mismatch and express)          reshipping abroad, in a hurry
      + 1.0 * (po_box and express)
      + 1.3 * (name has digits) + 0.9 * (no vowel) + 0.5 * (name < 3 or > 40 chars)
      + 0.3 * (single-word name)
      + 1.0 * disposable + 0.7 * (disposable and amount > $500)
      + 0.5 * (expires within a month) + 0.8 * (expires > 60 months ahead)
      + 0.5 * (hour in 1..5) + 0.6 * (hour in 1..5 and card uses >= 3)
      - 0.4 * gift_wrap + 0.6 * (gift_wrap and mismatch and express)
      + 0.9 * (one distinct book and quantity >= 8)           resale of a single title
      + 1.4 * (hidden intent of a suspicious session)
      + Normal(0, 0.8)                                          everything we cannot see
  label ~ Bernoulli(sigmoid(z))

Usage: generate_dataset.py [--rows N] [--seed S] [--out PATH]
Pure Python standard library (random.Random is stable across Python versions), so the same
seed writes the same file everywhere.
"""

import argparse
import csv
import math
import os
import random

FEATURE_NAMES = [
    "amount_cents",
    "total_quantity",
    "distinct_items",
    "card_uses_in_window",
    "distinct_cards_for_contact",
    "billing_country_mismatch",
    "name_length",
    "name_digit_permille",
    "name_has_vowel",
    "name_words",
    "email_disposable",
    "expiry_months_ahead",
    "shipping_method",
    "gift_wrap",
    "hour_of_day",
    "po_box",
]
LABEL = "is_fraud"
DEFAULT_ROWS = 40_000
DEFAULT_SEED = 20_240_917
SUSPICIOUS_SHARE = 0.12

# Daytime-heavy shopping hours for ordinary customers (relative weights for 0..23).
SHOPPER_HOUR_WEIGHTS = [1, 1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 7, 8, 8, 7, 7, 7, 8, 9, 10, 10, 8, 5, 3]


def pick_weighted(rng, values, weights):
    """One value drawn with the given relative weights."""
    return rng.choices(values, weights=weights, k=1)[0]


def draw_basket(rng, suspicious):
    """Items, quantities and the total in cents; resellers buy many copies of one title."""
    if suspicious and rng.random() < 0.35:
        distinct = 1
        quantities = [rng.randint(5, 30)]
    else:
        distinct = 1 + min(int(rng.expovariate(1.6 if not suspicious else 0.8)), 9)
        quantities = [1 + min(int(rng.expovariate(2.5)), 6) for _ in range(distinct)]
    price_median = 1800 if not suspicious else 3200  # collectors' editions resell well
    amount = 0
    for qty in quantities:
        unit = int(round(price_median * math.exp(rng.gauss(0.0, 0.55))))
        amount += max(299, min(unit, 40_000)) * qty
    return amount, sum(quantities), distinct


def draw_velocity(rng, suspicious):
    """Card uses and distinct cards in the window; card testers hammer one card or cycle many."""
    if suspicious:
        uses = 1 + min(int(rng.expovariate(0.45)), 12)
        cards = 1 + min(int(rng.expovariate(0.7)), 6)
    else:
        uses = 1 + (1 if rng.random() < 0.08 else 0) + (1 if rng.random() < 0.02 else 0)
        cards = 2 if rng.random() < 0.04 else 1
    return uses, cards


def draw_name(rng, suspicious):
    """Integer name features: length, digits per mille, vowel present, word count."""
    odd = rng.random() < (0.30 if suspicious else 0.015)
    words = 2 if rng.random() < 0.8 else pick_weighted(rng, [1, 3, 4], [5, 4, 1])
    length = max(2, int(round(rng.gauss(7.5 * words, 2.5))))
    digits = 0
    has_vowel = 1
    if odd:
        kind = rng.randrange(4)
        if kind == 0:
            digits = rng.randint(1, max(1, length // 2))
        elif kind == 1:
            has_vowel = 0
        elif kind == 2:
            length = rng.randint(41, 90)
        else:
            length, words = rng.randint(1, 2), 1
    elif rng.random() < 0.01:  # short Latin-transliterated names without vowels exist
        has_vowel = 0
    return length, (digits * 1000) // length, has_vowel, words


def draw_row(rng):
    """One checkout as (features dict, hidden intent flag)."""
    suspicious = rng.random() < SUSPICIOUS_SHARE
    amount, quantity, distinct = draw_basket(rng, suspicious)
    uses, cards = draw_velocity(rng, suspicious)
    length, digit_pm, has_vowel, words = draw_name(rng, suspicious)
    mismatch = int(rng.random() < (0.45 if suspicious else 0.06))
    shipping = pick_weighted(rng, [0, 1, 2], [3, 3, 4] if suspicious else [70, 20, 10])
    if suspicious and rng.random() < 0.3:
        expiry = pick_weighted(rng, [0, 1, rng.randint(61, 120)], [2, 2, 3])
    else:
        expiry = rng.randint(0, 60)
    if suspicious:
        hour = rng.randrange(24)
    else:
        hour = pick_weighted(rng, list(range(24)), SHOPPER_HOUR_WEIGHTS)
    row = {
        "amount_cents": amount,
        "total_quantity": quantity,
        "distinct_items": distinct,
        "card_uses_in_window": uses,
        "distinct_cards_for_contact": cards,
        "billing_country_mismatch": mismatch,
        "name_length": length,
        "name_digit_permille": digit_pm,
        "name_has_vowel": has_vowel,
        "name_words": words,
        "email_disposable": int(rng.random() < (0.35 if suspicious else 0.02)),
        "expiry_months_ahead": expiry,
        "shipping_method": shipping,
        "gift_wrap": int(rng.random() < (0.10 if suspicious else 0.15)),
        "hour_of_day": hour,
        "po_box": int(rng.random() < (0.20 if suspicious else 0.03)),
    }
    return row, suspicious


def fraud_logit(r, hidden_intent, noise):
    """The documented label formula (see the module docstring)."""
    night = 1 <= r["hour_of_day"] <= 5
    express = r["shipping_method"] == 2
    mismatch = r["billing_country_mismatch"] == 1
    z = -3.4
    z += 0.9 * max(0.0, math.log(r["amount_cents"] / 15_000))
    z += {1: 0.0, 2: 0.2, 3: 0.8, 4: 1.5}.get(r["card_uses_in_window"], 2.3)
    z += {1: 0.0, 2: 0.5, 3: 1.3}.get(r["distinct_cards_for_contact"], 2.0)
    z += 0.7 * mismatch + 0.9 * (mismatch and express)
    z += 1.0 * (r["po_box"] == 1 and express)
    z += 1.3 * (r["name_digit_permille"] > 0) + 0.9 * (r["name_has_vowel"] == 0)
    z += 0.5 * (r["name_length"] < 3 or r["name_length"] > 40) + 0.3 * (r["name_words"] == 1)
    z += 1.0 * r["email_disposable"] + 0.7 * (r["email_disposable"] == 1 and r["amount_cents"] > 50_000)
    z += 0.5 * (r["expiry_months_ahead"] <= 1) + 0.8 * (r["expiry_months_ahead"] > 60)
    z += 0.5 * night + 0.6 * (night and r["card_uses_in_window"] >= 3)
    z += -0.4 * r["gift_wrap"] + 0.6 * (r["gift_wrap"] == 1 and mismatch and express)
    z += 0.9 * (r["distinct_items"] == 1 and r["total_quantity"] >= 8)
    z += 1.4 * hidden_intent
    return z + noise


def generate(rows, seed):
    """The whole data set as a list of dicts (features + label), same seed -> same rows."""
    rng = random.Random(seed)
    out = []
    for _ in range(rows):
        row, suspicious = draw_row(rng)
        z = fraud_logit(row, 1 if suspicious else 0, rng.gauss(0.0, 0.8))
        row[LABEL] = int(rng.random() < 1.0 / (1.0 + math.exp(-z)))
        out.append(row)
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--out", default=os.path.join(here, "build", "fraud_transactions.csv"))
    args = parser.parse_args()
    if args.rows < 100:
        parser.error("--rows must be at least 100")
    data = generate(args.rows, args.seed)
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(args.out, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FEATURE_NAMES + [LABEL])
        writer.writeheader()
        writer.writerows(data)
    frauds = sum(r[LABEL] for r in data)
    print(f"wrote {len(data)} synthetic rows ({frauds} fraud, {100.0 * frauds / len(data):.1f} %) "
          f"seed={args.seed} -> {args.out}")


if __name__ == "__main__":
    main()
