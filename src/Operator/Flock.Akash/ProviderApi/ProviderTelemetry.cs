using System.Diagnostics;

namespace Flock.Akash.ProviderApi;

/// <summary>The activity source provider calls are traced under ("Flock.Akash"); the operator's tracing subscribes to it by name.</summary>
public static class ProviderTelemetry
{
    /// <summary>ActivitySource name.</summary>
    public const string SourceName = "Flock.Akash";

    internal static readonly ActivitySource Source = new(SourceName);
}
