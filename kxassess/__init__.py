"""kxassess — batch scorer for 科协 annual assessments (年度考核)."""

__version__ = "0.1.0"
