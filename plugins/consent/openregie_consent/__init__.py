"""OpenRegie consent: a person's recorded consent to share data, checked before sharing."""
