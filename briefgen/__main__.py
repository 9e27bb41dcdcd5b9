from .cli import main

if __name__ == "__main__":  # worker processes started by spawn (Dask) re-import this module
    main()
