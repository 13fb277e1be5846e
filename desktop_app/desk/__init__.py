"""The desk's workflow, free of Qt: the connection, the services, the jobs behind a lookup or an
update (record → call → settle), and what their results mean for the form.

The window (`desktop_app.ui`) renders this layer's state and runs its jobs on worker threads; the
batch runner runs the same jobs without a window.
"""
