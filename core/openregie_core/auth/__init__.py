"""Staff authentication: passwords, the login session and who the actor is."""
