using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Flock.Sandbox.Tests;

/// <summary>A sandbox server plus a kubeconfig for the real kubectl.</summary>
public sealed class KubectlFixture : IAsyncLifetime
{
    private readonly SandboxFixture _sandbox = new();

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "flock-sandbox-kubectl-" + Guid.NewGuid().ToString("N")[..8]);

    public Flock.Sandbox.ApiServer.SandboxApiServer Server => _sandbox.Server;

    public Kubernetes Client => _sandbox.Client;

    public string Kubeconfig => Path.Combine(Dir, "kubeconfig");

    public async Task InitializeAsync()
    {
        await _sandbox.InitializeAsync();
        Directory.CreateDirectory(Dir);
        Server.WriteKubeconfig(Kubeconfig);
        var kubectl = new Kubectl(Kubeconfig);
        await kubectl.OkAsync("apply", "-f", Repo.CrdDir);
        await kubectl.OkAsync("wait", "--for=condition=Established", "crd/flocktrainingnodes.flock.io", "crd/flockvalidators.flock.io", "--timeout=60s");
    }

    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class KubectlTests(KubectlFixture fx) : IClassFixture<KubectlFixture>
{
    private readonly Kubectl _kubectl = new(fx.Kubeconfig);
    private readonly Kubernetes _k = fx.Client;

    private async Task<string> NamespaceWithTrainerAsync(string name = "trainer")
    {
        var ns = await _k.NewNamespaceAsync("kc");
        await _k.CustomObjects.CreateNamespacedCustomObjectAsync(Helpers.TrainingNode(name, ns), "flock.io", "v1alpha1", ns, "flocktrainingnodes");
        return ns;
    }

    [Fact]
    public async Task Apply_crds_with_client_dry_run_and_for_real()
    {
        var dry = await _kubectl.OkAsync("apply", "--dry-run=client", "-f", Repo.CrdDir);
        Assert.Contains("customresourcedefinition.apiextensions.k8s.io/flocktrainingnodes.flock.io", dry);
        Assert.Contains("(dry run)", dry);
        var real = await _kubectl.OkAsync("apply", "-f", Repo.CrdDir);
        Assert.Contains("flockvalidators.flock.io", real);
        var crds = await _kubectl.OkAsync("get", "crd");
        Assert.Contains("flocktrainingnodes.flock.io", crds);
    }

    [Fact]
    public async Task Apply_samples_then_again_then_server_side()
    {
        var ns = await _k.NewNamespaceAsync("samples");
        var first = await _kubectl.OkAsync("apply", "-n", ns, "-f", Repo.SamplesDir);
        Assert.Contains("flocktrainingnode.flock.io/trainer-incluster created", first);
        Assert.Contains("flockvalidator.flock.io/validator created", first);
        var second = await _kubectl.OkAsync("apply", "-n", ns, "-f", Repo.SamplesDir);
        Assert.Contains("flocktrainingnode.flock.io/trainer-incluster unchanged", second);
        var serverSide = await _kubectl.OkAsync("apply", "--server-side", "-n", ns, "-f", Repo.SamplesDir);
        Assert.Contains("flocktrainingnode.flock.io/trainer-incluster serverside-applied", serverSide);
        Assert.Contains("secret/huggingface serverside-applied", serverSide);

        var wide = await _kubectl.OkAsync("get", "ftn", "-n", ns, "-o", "wide");
        var header = wide.Split('\n')[0];
        foreach (var column in new[] { "NAME", "PHASE", "TASK", "BACKEND", "STAKED", "PROVIDER", "PRICE", "READY", "REASON", "AGE" })
        {
            Assert.Contains(column, header);
        }

        Assert.Contains("trainer-akash", wide);
        var narrow = (await _kubectl.OkAsync("get", "ftn", "-n", ns)).Split('\n')[0];
        Assert.DoesNotContain("PROVIDER", narrow);

        var flock = await _kubectl.OkAsync("get", "flock", "-n", ns);
        Assert.Contains("flocktrainingnode.flock.io/trainer-incluster", flock);
        Assert.Contains("flockvalidator.flock.io/validator", flock);
    }

    [Fact]
    public async Task Explain_reads_the_crd_schema()
    {
        var text = await _kubectl.OkAsync("explain", "ftn.spec.placement");
        Assert.Contains("KIND:       FlockTrainingNode", text);
        Assert.Contains("Where the worker runs", text);
        Assert.Contains("inCluster", text);
    }

    [Fact]
    public async Task Label_and_merge_patch()
    {
        var ns = await NamespaceWithTrainerAsync();
        Assert.Contains("labeled", await _kubectl.OkAsync("label", "-n", ns, "ftn", "trainer", "tier=gold"));
        Assert.Contains("trainer", await _kubectl.OkAsync("get", "-n", ns, "ftn", "-l", "tier=gold", "-o", "name"));
        Assert.Contains("patched", await _kubectl.OkAsync("patch", "-n", ns, "ftn", "trainer", "--type", "merge", "-p", "{\"spec\":{\"taskId\":14}}"));
        Assert.Equal("14", await _kubectl.OkAsync("get", "-n", ns, "ftn", "trainer", "-o", "jsonpath={.spec.taskId}"));
        Assert.Equal("2", await _kubectl.OkAsync("get", "-n", ns, "ftn", "trainer", "-o", "jsonpath={.metadata.generation}"));
    }

    [Fact]
    public async Task Wait_for_a_condition_set_through_the_status_subresource()
    {
        var ns = await NamespaceWithTrainerAsync();
        using var wait = _kubectl.Start("wait", "-n", ns, "--for=condition=Ready", "ftn/trainer", "--timeout=90s");
        var output = wait.StandardOutput.ReadToEndAsync();
        var patch = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "Running",
                    ["message"] = "worker is running",
                    ["lastTransitionTime"] = DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
                }),
            },
        };
        await _k.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch),
            "flock.io", "v1alpha1", ns, "flocktrainingnodes", "trainer");
        await wait.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
        Assert.Equal(0, wait.ExitCode);
        Assert.Contains("flocktrainingnode.flock.io/trainer condition met", await output);
    }

    [Fact]
    public async Task Delete_waits_for_a_finalizer()
    {
        var ns = await NamespaceWithTrainerAsync();
        await _kubectl.OkAsync("patch", "-n", ns, "ftn", "trainer", "--type", "merge", "-p", "{\"metadata\":{\"finalizers\":[\"flock.io/cleanup\"]}}");
        using var delete = _kubectl.Start("delete", "-n", ns, "ftn", "trainer", "--timeout=90s");
        var output = delete.StandardOutput.ReadToEndAsync();
        await Helpers.Eventually(async () =>
        {
            var o = (await _k.CustomObjects.GetNamespacedCustomObjectAsync("flock.io", "v1alpha1", ns, "flocktrainingnodes", "trainer")).AsJson();
            return o["metadata"]!["deletionTimestamp"] is not null;
        }, "deletion started");
        Assert.False(delete.HasExited);
        await _k.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("{\"metadata\":{\"finalizers\":null}}", V1Patch.PatchType.MergePatch),
            "flock.io", "v1alpha1", ns, "flocktrainingnodes", "trainer");
        await delete.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(120)).Token);
        Assert.Equal(0, delete.ExitCode);
        Assert.Contains("flocktrainingnode.flock.io \"trainer\" deleted", await output);
    }

    [Fact]
    public async Task Get_watch_receives_an_update()
    {
        var ns = await NamespaceWithTrainerAsync();
        using var watch = _kubectl.Start("get", "-n", ns, "ftn", "trainer", "-w", "-v=6", "-o", "jsonpath={.spec.taskId}{\"\\n\"}");
        var stderr = new System.Text.StringBuilder();
        watch.ErrorDataReceived += (_, e) => { lock (stderr) stderr.AppendLine(e.Data); };
        watch.BeginErrorReadLine();
        bool StderrHas(string text)
        {
            lock (stderr) return stderr.ToString().Contains(text, StringComparison.Ordinal);
        }

        async Task<string?> Line()
        {
            try
            {
                return await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
            catch (TimeoutException)
            {
                lock (stderr) Assert.Fail("kubectl get -w printed nothing more:\n" + stderr);
                throw;
            }
        }

        try
        {
            Assert.Equal("12", await Line());
            // kubectl skips the watch's first (synthetic ADDED) event as already printed: a change made before its
            // watch is open would be folded into that event and never shown, so patch only once the watch is open.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (!StderrHas("watch=true") && DateTime.UtcNow < deadline) await Task.Delay(50);
            await Task.Delay(200);
            await _k.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("{\"spec\":{\"taskId\":15}}", V1Patch.PatchType.MergePatch),
                "flock.io", "v1alpha1", ns, "flocktrainingnodes", "trainer");
            Assert.Equal("15", await Line());
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Get_watch_prints_table_rows()
    {
        var ns = await NamespaceWithTrainerAsync();
        using var watch = _kubectl.Start("get", "-n", ns, "ftn", "-w");
        try
        {
            var header = await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("NAME", header);
            Assert.StartsWith("trainer", await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)));
            await _k.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new V1Patch("{\"status\":{\"phase\":\"Running\"}}", V1Patch.PatchType.MergePatch),
                "flock.io", "v1alpha1", ns, "flocktrainingnodes", "trainer");
            var row = await watch.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Contains("Running", row);
        }
        finally
        {
            watch.Kill(entireProcessTree: true);
        }
    }

    [Fact]
    public async Task Auth_can_i_as_a_service_account_under_rbac()
    {
        var ns = await _k.NewNamespaceAsync("auth");
        var token = fx.Server.RegisterServiceAccountToken(ns, "operator");
        var saConfig = fx.Server.WriteKubeconfig(Path.Combine(fx.Dir, $"sa-{ns}.kubeconfig"), token);
        var sa = new Kubectl(saConfig);
        var before = await sa.RunAsync("auth", "can-i", "list", "flocktrainingnodes.flock.io", "-n", ns);
        Assert.Equal(1, before.ExitCode);
        Assert.True(before.Stdout.Trim() == "no", before.Output);

        await _k.RbacAuthorizationV1.CreateClusterRoleAsync(new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = $"ftn-reader-{ns}" },
            Rules = [new V1PolicyRule { ApiGroups = ["flock.io"], Resources = ["flocktrainingnodes"], Verbs = ["get", "list", "watch"] }],
        });
        await _k.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "ftn-reader" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = $"ftn-reader-{ns}" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "operator", NamespaceProperty = ns }],
        }, ns);
        Assert.Equal("yes", (await sa.OkAsync("auth", "can-i", "list", "flocktrainingnodes.flock.io", "-n", ns)).Trim());
        var delete = await sa.RunAsync("auth", "can-i", "delete", "flocktrainingnodes.flock.io", "-n", ns);
        Assert.Equal("no", delete.Stdout.Trim());
        var elsewhere = await sa.RunAsync("auth", "can-i", "list", "flocktrainingnodes.flock.io", "-n", "default");
        Assert.Equal("no", elsewhere.Stdout.Trim());
        var forbidden = await sa.RunAsync("get", "secrets", "-n", ns);
        Assert.NotEqual(0, forbidden.ExitCode);
        Assert.Contains("forbidden", forbidden.Stderr);

        // The admin impersonating the service account (kubectl --as) gets the same answers.
        var asSa = $"--as=system:serviceaccount:{ns}:operator";
        Assert.Equal("yes", (await _kubectl.OkAsync("auth", "can-i", "watch", "flocktrainingnodes.flock.io", "-n", ns, asSa)).Trim());
        Assert.Equal("no", (await _kubectl.RunAsync("auth", "can-i", "delete", "flocktrainingnodes.flock.io", "-n", ns, asSa)).Stdout.Trim());
        var impersonatedGet = await _kubectl.RunAsync("get", "secrets", "-n", ns, asSa);
        Assert.Contains($"User \"system:serviceaccount:{ns}:operator\" cannot list resource \"secrets\"", impersonatedGet.Stderr);

        // A service account may not impersonate without RBAC allowing it.
        var escalate = await sa.RunAsync("get", "secrets", "-n", ns, "--as=kubernetes-admin");
        Assert.Contains("cannot impersonate resource \"users\"", escalate.Stderr);
    }

    [Fact]
    public async Task Describe_shows_the_resource_and_its_events()
    {
        var ns = await NamespaceWithTrainerAsync();
        var ftn = (await _k.CustomObjects.GetNamespacedCustomObjectAsync("flock.io", "v1alpha1", ns, "flocktrainingnodes", "trainer")).AsJson();
        await _k.CoreV1.CreateNamespacedEventAsync(new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = "trainer.1" },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = "flock.io/v1alpha1", Kind = "FlockTrainingNode", Name = "trainer", NamespaceProperty = ns,
                Uid = (string?)ftn["metadata"]!["uid"],
            },
            Reason = "Provisioning",
            Message = "creating the worker",
            Type = "Normal",
            Source = new V1EventSource { Component = "flock-operator" },
            FirstTimestamp = DateTime.UtcNow,
            LastTimestamp = DateTime.UtcNow,
            Count = 1,
        }, ns);
        var text = await _kubectl.OkAsync("describe", "-n", ns, "ftn", "trainer");
        Assert.Contains("Name:         trainer", text);
        Assert.Contains($"Namespace:    {ns}", text);
        Assert.Contains("Task Id:", text);
        Assert.Contains("Provisioning", text);
        Assert.Contains("creating the worker", text);
    }

    [Fact]
    public async Task Get_missing_object_reports_not_found()
    {
        var r = await _kubectl.RunAsync("get", "ftn", "nope", "-n", "default");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("Error from server (NotFound): flocktrainingnodes.flock.io \"nope\" not found", r.Stderr);
    }

    [Fact]
    public async Task Create_namespace_secret_and_read_logs()
    {
        var ns = Helpers.UniqueName("kcc");
        Assert.Contains($"namespace/{ns} created", await _kubectl.OkAsync("create", "namespace", ns));
        Assert.Contains("secret/creds created", await _kubectl.OkAsync("create", "secret", "generic", "creds", "-n", ns, "--from-literal=api-key=abc"));
        Assert.Equal("YWJj", await _kubectl.OkAsync("get", "secret", "creds", "-n", ns, "-o", "jsonpath={.data.api-key}"));
        await _k.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "worker" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox:1.36" }] },
        }, ns);
        fx.Server.Logs.Append(ns, "worker", "main", "training epoch 1");
        Assert.Equal("training epoch 1\n", await _kubectl.OkAsync("logs", "-n", ns, "worker"));
    }

    [Fact]
    public async Task Apply_rejects_unknown_fields_and_schema_violations()
    {
        var ns = await _k.NewNamespaceAsync("kcv");
        var manifest = $$"""
            apiVersion: flock.io/v1alpha1
            kind: FlockTrainingNode
            metadata:
              name: typo
              namespace: {{ns}}
            spec:
              taskId: 12
              tsakId: 13
              credentials:
                flockApiKey: {name: flock-credentials, key: api-key}
              staking:
                address: "0x5a0b54d5dc17e0aadc383d2db43b0a0d3e029c4c"
            """;
        var r = await _kubectl.RunAsync(["apply", "-f", "-"], manifest);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("strict decoding error: unknown field \"spec.tsakId\"", r.Stderr);

        var invalid = await _kubectl.RunAsync(["apply", "-f", "-"], manifest.Replace("  tsakId: 13\n", "").Replace("taskId: 12", "taskId: 0"));
        Assert.NotEqual(0, invalid.ExitCode);
        Assert.Contains("The FlockTrainingNode \"typo\" is invalid", invalid.Stderr);
        Assert.Contains("spec.taskId", invalid.Stderr);
    }
}
