"""The agreement and project edit pages: registering and changing agreements, their signatories,
partners, schedules and transfers, and the projects with their funding, milestones, progress,
contracts and payments. `urls` lists the pages, `agreements` and `projects` their views,
`forms` the forms, `common` what both kinds of pages share."""
