from .cli import run

if __name__ == "__main__":  # worker processes started by spawn (Dask) re-import this module
    run()
