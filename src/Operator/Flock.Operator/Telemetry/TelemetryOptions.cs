namespace Flock.Operator.Telemetry;

/// <summary>Where traces go: section "Telemetry" (env Telemetry__OtlpEndpoint, or --otlp-endpoint).</summary>
public sealed record TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>
    /// OTLP endpoint for traces (http://collector:4317 for gRPC; with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf, the
    /// full …/v1/traces URL). Empty: the standard OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or OTEL_EXPORTER_OTLP_ENDPOINT
    /// is used; with none of them set no span is exported (and none is recorded).
    /// </summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>The endpoint in effect, from the option or the standard variables; null when traces are off.</summary>
    public static string? TraceEndpoint(Microsoft.Extensions.Configuration.IConfiguration configuration) =>
        new[]
        {
            configuration[$"{Section}:{nameof(OtlpEndpoint)}"],
            configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"],
            configuration["OTEL_EXPORTER_OTLP_ENDPOINT"],
        }.FirstOrDefault(e => !string.IsNullOrWhiteSpace(e));
}
