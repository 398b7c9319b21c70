"""Subscriptions to markets: "Préparer sa souscription", conventions, access, dashboard, staff."""
