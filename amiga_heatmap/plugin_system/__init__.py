"""The plugin machinery: hook specifications, the component classes plugins register, the name tables,
loading with broken plugins isolated, the plugins of the current context, and the listing."""
