namespace Flock.Operator.Tests.Telemetry;

/// <summary>The trace tests share one sandbox (each starts its own operator): one fixture start instead of one per class.</summary>
[CollectionDefinition(Name)]
public sealed class TelemetryCollection : ICollectionFixture<Integration.Sandbox>
{
    public const string Name = "telemetry sandbox";
}
