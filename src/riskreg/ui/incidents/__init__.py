"""The breach workflow in the app: incidents, from "something happened" to proof that every
notice went out.

    area.py             the Incidents area: every incident with its step and next deadline
    screen.py           one incident, step by step (the wizard): step list, panel, keys
    form.py             field rows with their problems, shared by the step panels
    decision_panels.py  steps 1-6: what happened, PHI, secured, exceptions, factors, determination
    plan_panels.py      steps 7-9: scope, law enforcement, the deadline plan
    notice_panels.py    steps 10-12: notices and drafts, tracking, close-out
    plan_view.py        the plan as text: dates, weekdays, days left, targets, citations, holds
    dashboard_panel.py  the dashboard's open incidents with the days left
    commands.py         the command palette's incident commands

Nothing here imports the services at module level (see riskreg/ui/__init__.py). Single-incident
reads and writes take milliseconds and run on the UI thread (as the register's record actions do), so a
problem is shown beside the field it concerns; lists load in thread workers.
"""
