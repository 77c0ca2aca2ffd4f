from .cli import entry

if __name__ == "__main__":  # not when a process of referat.pool imports the main module again
    entry()
