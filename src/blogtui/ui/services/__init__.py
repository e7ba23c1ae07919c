"""App-lifetime services: owned by the App, they outlive any screen (screens listen to them)."""
