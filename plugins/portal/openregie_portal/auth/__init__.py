"""How residents log in: the authenticators the portal contributes (OIDC through a DigiD
broker, and a mock DigiD page outside production) and the BSN check that follows."""
