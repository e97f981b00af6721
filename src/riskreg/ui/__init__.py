"""The full-screen app (Textual).

    app.py       the App and `make_app`, the one factory the CLI, tests and scripts share
    table_query.py  what a register table asks for (no service imports)
    app.tcss     layout and colours (theme variables only)
    areas.py     the areas the area bar switches between (dashboard, tools, hazards, ...)
    record_actions.py  what a user does to a record: new, edit, review, link, archive
    commands.py  the command palette's commands
    kinds.py     each kind of record's names and table columns
    render.py    values to text (user text never parsed as markup)
    detail.py    a record in full, as text
    loaders.py   the queries workers run
    messages.py  what the parts tell each other
    screens/     the main screen, a record in full, help
    widgets/     dashboard panels, heat map, record table, filter bar, detail pane
    dialogs/     forms, confirmation, review, link picker, first run, errors

Nothing here imports the services or storage at module level: they cost ~0.5 s to import and
are loaded in the first worker, after the first frame is painted.
"""
