"""The local web app: a JSON API over panels, measures, models and studies, and three pages."""
