using System.Collections.Concurrent;
using Flock.Operator;
using Flock.Operator.Runtime.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Flock.Reliability.Tests.Support;

/// <summary>
/// The operator as Program composes it (OperatorApplication + AddFlockWorkers), started in-process against a
/// <see cref="World"/>, with every log line kept so a test can tell a handled problem from a crash.
/// </summary>
public sealed class OperatorHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private OperatorHost(WebApplication app, LogLines logs)
    {
        _app = app;
        Logs = logs;
    }

    public LogLines Logs { get; }

    public static async Task<OperatorHost> StartAsync(World world, params string[] extraArgs)
    {
        var logs = new LogLines();
        string[] args =
        [
            "--kubeconfig", world.WriteKubeconfig(), "--health-port", "0", "--metrics-port", "0", "--bind-address", "127.0.0.1",
            "--leader-elect", "false", "--Logging:LogLevel:Default=Information",
            $"--Flock:ApiBaseUrl={world.FlockApi.BaseUrl}", "--Flock:TaskPollSeconds=1",
            $"--Staking:RpcUrl={world.Evm.RpcUrl}", $"--Staking:ChainId={world.Evm.ChainId}", $"--Staking:TaskManager={world.Evm.TaskManagerAddress}",
            "--Staking:Confirmations=0", "--Staking:PollSeconds=2", "--Staking:EventPollSeconds=0.5", .. extraArgs,
        ];
        var app = OperatorApplication.Build(args, (services, configuration) =>
        {
            services.AddFlockWorkers(configuration);
            services.AddSingleton<ILoggerProvider>(logs);
        });
        await app.StartAsync();
        return new OperatorHost(app, logs);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Every log line the operator wrote, with its level and any exception's type and message.</summary>
public sealed class LogLines : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    public IReadOnlyList<(LogLevel Level, string Text)> All => _lines.ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class Logger(string category, ConcurrentQueue<(LogLevel, string)> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue((logLevel, $"{category}: {formatter(state, exception)}{(exception is null ? "" : $" [{exception.GetType().Name}: {exception.Message}]")}"));
    }
}
