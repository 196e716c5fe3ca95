using Flock.Operator.Runtime.Client;
using Flock.Operator.Runtime.Controllers;
using Flock.Operator.Runtime.Events;
using Flock.Operator.Runtime.Informers;
using Flock.Operator.Runtime.Status;
using Microsoft.Extensions.Logging;

namespace Flock.Operator.Runtime.Hosting;

/// <summary>Everything a controller is built from: the client, shared caches and the runtime helpers.</summary>
public sealed record ControllerContext(
    KubeRestClient Client,
    SharedInformers Informers,
    StatusWriter Status,
    Finalizers Finalizers,
    EventRecorder Events,
    ILoggerFactory Loggers,
    TimeProvider Time,
    OperatorOptions Options,
    IControllerObserver Observer);

/// <summary>A controller the manager can run once its informers are synced.</summary>
public interface IRunnableController
{
    string Name { get; }
    IReadOnlyList<IInformer> Sources { get; }
    Task RunAsync(CancellationToken stop);
}

/// <summary>Registers the controllers of one feature; called once per watched namespace (null = all).</summary>
public interface IControllerSetup
{
    IEnumerable<IRunnableController> Build(ControllerContext context, string? @namespace);
}
