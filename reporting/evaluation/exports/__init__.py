"""Evaluation reports built from one roll-up: an Excel workbook and a PDF."""
