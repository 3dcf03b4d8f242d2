"""Allow ``python -m quiz``."""

from quiz.launch import main

if __name__ == "__main__":
    main()
