using System.Collections.Concurrent;
using System.Text;
using Flock.Operator.Runtime.Hosting;
using Flock.Operator.Tests.Integration;
using Flock.Operator.Workers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Trace;

namespace Flock.Operator.Tests.Telemetry;

/// <summary>Spans leave the process over OTLP when, and only when, an endpoint is configured.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class OtlpExportTests
{
    private readonly Integration.Sandbox _sandbox;

    public OtlpExportTests(Integration.Sandbox sandbox) => _sandbox = sandbox;

    [Fact]
    public async Task With_an_endpoint_reconcile_spans_reach_an_otlp_receiver()
    {
        await _sandbox.InstallCrdsAsync();
        await using var receiver = await OtlpReceiver.StartAsync();
        // The standard OTEL_* settings are read from configuration, so flags set them for this host alone (not the whole test process).
        await using var op = await OperatorHarness.StartAsync(_sandbox, "--otlp-endpoint", receiver.TracesUrl,
            "--OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf", "--OTEL_BSP_SCHEDULE_DELAY=100");
        var name = "exported-" + Guid.NewGuid().ToString("N")[..6];
        await _sandbox.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, "default", StatusWriterTests.NewNode("default", name), CancellationToken.None);

        // OTLP/protobuf carries strings as raw UTF-8, so the span name and its tag values are visible in the body.
        await Eventually.TrueAsync(() => receiver.Bodies.Any(b => b.Contains("reconcile FlockTrainingNode", StringComparison.Ordinal) && b.Contains(name, StringComparison.Ordinal)),
            "a reconcile span of the resource exported");
        Assert.Contains(receiver.Bodies, b => b.Contains("flock-operator", StringComparison.Ordinal)); // service.name
    }

    [Fact]
    public void Without_an_endpoint_no_tracer_is_set_up_and_a_bad_one_is_named()
    {
        string[] args = ["--kubeconfig", "/nonexistent", "--health-port", "0", "--metrics-port", "0"];

        using (var app = OperatorApplication.Build(args))
        {
            Assert.Null(app.Services.GetService<TracerProvider>());
        }

        var error = Assert.Throws<InvalidOperationException>(() => OperatorApplication.Build([.. args, "--otlp-endpoint", "collector:4317"]));
        Assert.Contains("collector:4317", error.Message);
        Assert.Contains("--otlp-endpoint", error.Message);
    }

    /// <summary>An OTLP/HTTP receiver: keeps every body POSTed to /v1/traces.</summary>
    private sealed class OtlpReceiver : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<string> _bodies;

        private OtlpReceiver(WebApplication app, ConcurrentQueue<string> bodies)
        {
            _app = app;
            _bodies = bodies;
        }

        public string TracesUrl => _app.Urls.First() + "/v1/traces";

        public IReadOnlyList<string> Bodies => [.. _bodies];

        public static async Task<OtlpReceiver> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var bodies = new ConcurrentQueue<string>();
            app.MapPost("/v1/traces", async (HttpRequest request) =>
            {
                using var buffer = new MemoryStream();
                await request.Body.CopyToAsync(buffer);
                bodies.Enqueue(Encoding.UTF8.GetString(buffer.ToArray()));
                return Results.Bytes([], "application/x-protobuf");
            });
            await app.StartAsync();
            return new OtlpReceiver(app, bodies);
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
