"""A new agreement from a press text (DESIGN.md §1: pasting a press release gives a pre-filled
draft to review, not a blank form).

- `matching`: the names the extraction read, compared with the organisations, territories,
  programmes and people already recorded; project categories guessed from their words;
- `proposal`: what the review of one extracted agreement is pre-filled with, as plain data;
- `services`: the writes: what the secretariat reviewed becomes an agreement, in one transaction.
"""
