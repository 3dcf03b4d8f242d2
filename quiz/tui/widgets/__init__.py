"""Widgets of the trainer; the answer widgets (one module per question type) start at `answer`."""
