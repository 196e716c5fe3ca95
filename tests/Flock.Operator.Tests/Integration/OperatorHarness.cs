using System.Collections.Concurrent;

using Flock.Operator.Runtime.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Tests.Integration;

/// <summary>
/// The real operator host (the same composition as Program) started in-process against a sandbox,
/// with every request it sends counted and every log line it writes captured.
/// </summary>
public sealed class OperatorHarness : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperatorHarness(WebApplication app, RequestCounter requests, CapturedLogs logs)
    {
        _app = app;
        Requests = requests;
        Logs = logs;
    }

    public RequestCounter Requests { get; }

    /// <summary>The operator's listeners (health and metrics), http://127.0.0.1:port.</summary>
    public IReadOnlyList<string> Urls => _app.Urls.ToList();
    public CapturedLogs Logs { get; }

    public static async Task<OperatorHarness> StartAsync(Sandbox sandbox, params string[] extraArgs)
    {
        var requests = new RequestCounter();
        var logs = new CapturedLogs();
        string[] args =
        [
            "--kubeconfig", sandbox.WriteKubeconfig(), "--health-port", "0", "--metrics-port", "0", "--bind-address", "127.0.0.1",
            "--leader-elect", "false", "--Logging:LogLevel:Default=Debug",
            $"--Flock:ApiBaseUrl={sandbox.FlockApi.BaseUrl}", "--Flock:TaskPollSeconds=1",
            $"--Staking:RpcUrl={sandbox.Evm.RpcUrl}", $"--Staking:ChainId={sandbox.Evm.ChainId}", $"--Staking:TaskManager={sandbox.Evm.TaskManagerAddress}",
            "--Staking:Confirmations=0", "--Staking:PollSeconds=5", "--Staking:EventPollSeconds=0.2", .. extraArgs,
        ];
        var app = OperatorApplication.Build(args, (services, configuration) =>
        {
            services.AddFlockWorkers(configuration);
            services.AddTransient<DelegatingHandler>(_ => new CountingHandler(requests));
            services.AddSingleton<ILoggerProvider>(logs);
        });
        await app.StartAsync();
        return new OperatorHarness(app, requests, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class CountingHandler(RequestCounter counter) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            counter.Count(request.Method.Method, request.RequestUri!.AbsolutePath);
            return base.SendAsync(request, cancellationToken);
        }
    }
}

/// <summary>Requests the operator sent, by method; writes are everything but GET.</summary>
public sealed class RequestCounter
{
    private readonly ConcurrentQueue<(string Method, string Path)> _requests = new();

    public void Count(string method, string path) => _requests.Enqueue((method, path));

    public int Writes => _requests.Count(r => r.Method != "GET");

    public IReadOnlyList<(string Method, string Path)> All => _requests.ToList();
}

/// <summary>Every formatted log line and exception text the operator wrote.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{logLevel} {category}: {formatter(state, exception)} {exception}";
            lines.Enqueue(line);
            Resilience.TestRunRecord.Run.Line(line); // for the test run's secret scan
        }
    }
}
