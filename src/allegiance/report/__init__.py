"""Reports: present study results (HTML with interactive figures); no modelling here."""
