"""The office's web page (`assign serve`): the app and its JSON API, the SQLite database with its migrations,
the pages' templates and static files, policy forms from Params, the guard every request passes, and the
worker processes that solve."""
