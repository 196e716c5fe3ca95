using Flock.Crds.V1Alpha1;
using Flock.Operator.Workers;
using Flock.Reliability.Tests.Support;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace Flock.Reliability.Tests.Resources;

/// <summary>
/// One operator, one namespace, every resource of <see cref="UnusableResources"/> plus two good ones (created
/// before and after the bad ones). The operator is started once here and the resources settle together.
/// </summary>
public sealed class UnusableResourcesFixture : IAsyncLifetime
{
    public const string Namespace = "unusable";
    public const string FirstGood = "good-before";
    public const string LastGood = "good-after";

    public World World { get; } = new();

    public OperatorHost Operator { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await World.InitializeAsync();
        var client = World.Client();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        await client.CoreV1.CreateNamespacedSecretAsync(Secret(UnusableResources.ApiKeySecret, ("api-key", "fk-reliability-key")), Namespace);
        await client.CoreV1.CreateNamespacedSecretAsync(Secret(UnusableResources.HuggingFaceSecret, ("username", "alice"), ("token", "hf_reliability")), Namespace);
        await client.CoreV1.CreateNamespacedSecretAsync(Secret("akash-wallet", ("mnemonic", "not a mnemonic")), Namespace);
        foreach (var c in UnusableResources.All) c.Arrange?.Invoke(World);

        Operator = await OperatorHost.StartAsync(World);
        await CreateAsync(UnusableResources.Node(World, Namespace, FirstGood));
        foreach (var c in UnusableResources.All) await CreateAsync(c.Build(World, Namespace));
    }

    public async Task DisposeAsync()
    {
        await Operator.DisposeAsync();
        await World.DisposeAsync();
    }

    public Task CreateAsync(IKubernetesObject<V1ObjectMeta> resource) => resource switch
    {
        FlockTrainingNode node => World.Rest().CreateAsync(FlockKinds.TrainingNode.Resource, Namespace, node, CancellationToken.None),
        FlockValidator validator => World.Rest().CreateAsync(FlockKinds.Validator.Resource, Namespace, validator, CancellationToken.None),
        _ => throw new ArgumentException(resource.GetType().Name),
    };

    public async Task<WorkerStatus?> StatusAsync(IKubernetesObject<V1ObjectMeta> resource) => resource switch
    {
        FlockTrainingNode => (await World.Rest().GetAsync<FlockTrainingNode>(FlockKinds.TrainingNode.Resource, Namespace, resource.Metadata.Name, CancellationToken.None)).Status,
        FlockValidator => (await World.Rest().GetAsync<FlockValidator>(FlockKinds.Validator.Resource, Namespace, resource.Metadata.Name, CancellationToken.None)).Status,
        _ => throw new ArgumentException(resource.GetType().Name),
    };

    private static V1Secret Secret(string name, params (string Key, string Value)[] data) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        StringData = data.ToDictionary(d => d.Key, d => d.Value),
    };
}

/// <summary>
/// Resources the apiserver admits but that cannot run as asked (a Secret or key missing, an unknown GPU model,
/// Akash placement without an Akash node, tasks the FLock API does not know, a wallet without stake or in the
/// wrong role, chain settings that point nowhere useful, an image that cannot be pulled or crashes, more GPUs than
/// any node has). Each ends with a condition whose reason and message name the problem, through the running
/// operator, and the operator goes on reconciling the good resources beside them.
/// </summary>
public sealed class UnusableResourceTests(UnusableResourcesFixture fixture) : IClassFixture<UnusableResourcesFixture>
{
    public static TheoryData<string> Cases() => new(UnusableResources.All.Select(c => c.Name));

    [Fact]
    public void The_table_has_a_case_for_every_kind_of_input_the_operator_checks()
    {
        var reasons = UnusableResources.All.Select(c => c.Reason).ToHashSet();

        Assert.True(UnusableResources.All.Count >= 20, $"only {UnusableResources.All.Count} cases");
        Assert.Equal(UnusableResources.All.Count, UnusableResources.All.Select(c => c.Name).Distinct().Count());
        Assert.Superset(new HashSet<string> { "SecretNotFound", "SecretKeyMissing", "UnknownGpuModel", "AkashNotConfigured", "TaskNotFound", "StakeMissing", "StakingUnavailable" }, reasons);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_unusable_resource_gets_a_condition_naming_the_problem(string name)
    {
        var c = UnusableResources.All.Single(x => x.Name == name);
        var resource = c.Build(fixture.World, UnusableResourcesFixture.Namespace);
        var names = c.Names(fixture.World);
        Condition? last = null;

        await Eventually.TrueAsync(async () =>
        {
            last = (await fixture.StatusAsync(resource))?.Conditions?.FirstOrDefault(x => x.Type == c.Condition);
            return last?.Reason == c.Reason;
        }, () => $"{c.Condition} reason {c.Reason}; last {c.Condition}: {last?.Reason}: {last?.Message}");

        foreach (var part in names) Assert.Contains(part, last!.Message, StringComparison.Ordinal);
        var status = await fixture.StatusAsync(resource);
        // However the resource is broken, the operator never calls it Ready-and-running.
        Assert.NotEqual(Phase.Running, status!.Phase);
        Assert.All(status.Conditions!, x => Assert.False(string.IsNullOrWhiteSpace(x.Message), $"{x.Type} has no message"));
    }

    [Fact]
    public async Task The_operator_keeps_running_good_resources_beside_the_bad_ones()
    {
        await fixture.CreateAsync(UnusableResources.Node(fixture.World, UnusableResourcesFixture.Namespace, UnusableResourcesFixture.LastGood));

        foreach (var name in new[] { UnusableResourcesFixture.FirstGood, UnusableResourcesFixture.LastGood })
        {
            var good = UnusableResources.Node(fixture.World, UnusableResourcesFixture.Namespace, name);
            WorkerStatus? status = null;
            await Eventually.TrueAsync(async () => (status = await fixture.StatusAsync(good))?.Phase == Phase.Running,
                () => $"{name} Running; it is {status?.Phase} ({status?.Conditions?.FirstOrDefault(x => x.Type == "Ready")?.Message})");
        }

        // Every bad resource was reconciled to a reason without the reconcile itself failing. A 409 Conflict is not a
        // failure of the resource but optimistic concurrency doing its job (a write raced a newer version; the retry
        // reads it), as in controller-runtime.
        var failures = fixture.Operator.Logs.All
            .Where(l => l.Level >= LogLevel.Warning && l.Text.Contains("reconcile of", StringComparison.Ordinal) && l.Text.Contains(UnusableResourcesFixture.Namespace + "/", StringComparison.Ordinal))
            .Where(l => !l.Text.Contains(": 409 Conflict:", StringComparison.Ordinal))
            .Select(l => l.Text).ToList();
        Assert.True(failures.Count == 0, "reconciles failed:\n" + string.Join("\n", failures));
    }
}
