"""LaunchBench: a sourced dataset of political events hosted live on platforms.

    import launchbench
    con = launchbench.connect()                 # DuckDB with one view per table, TimeZone UTC
    con.sql("select * from launch_metrics").show()
    launchbench.load("observations").to_pandas()
"""
__version__ = "0.1.0"
__all__ = ["connect", "load", "__version__"]


def __getattr__(name):  # lazy, so `import launchbench` stays cheap
    if name in ("connect", "load"):
        from launchbench import db

        return getattr(db, name)
    raise AttributeError(f"module 'launchbench' has no attribute {name!r}")
