"""What is printed, drawn and published from the portfolio: the equity comparison and map figures,
status reports as PDF, the IATI 2.03 activity file. Reads only: the figures come from
`shiraka.portfolio.selectors` (each dirham counted once) and are shaped here."""
