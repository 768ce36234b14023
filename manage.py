#!/usr/bin/env python
from shiraka.cli import main

if __name__ == "__main__":
    main()
