"""The domain of 报送助手, in rooms: base → notice → checks → {sheets, store, documents} → tasks. No Qt.
Each room's __init__ says what it holds and what it may import; nothing imports a room above it."""
