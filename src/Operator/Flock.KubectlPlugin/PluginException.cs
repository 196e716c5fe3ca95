namespace Flock.KubectlPlugin;

/// <summary>A problem the user can act on: printed as "error: …" with exit code 1, never as a stack trace.</summary>
public sealed class PluginException(string message) : Exception(message);
