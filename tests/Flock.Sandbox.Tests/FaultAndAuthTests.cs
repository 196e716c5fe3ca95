using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Flock.Sandbox.Tests;

// Faults affect the whole server: these tests get their own and run one after another.
public sealed class FaultAndAuthTests(SandboxFixture fx) : IClassFixture<SandboxFixture>
{
    private readonly Kubernetes _k = fx.Client;

    [Fact]
    public async Task Forced_conflicts_fail_the_next_writes_then_stop()
    {
        var ns = await _k.NewNamespaceAsync();
        fx.Server.Faults.ConflictNextWrites(2);
        for (var i = 0; i < 2; i++)
        {
            var e = await Assert.ThrowsAsync<HttpOperationException>(() =>
                _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns));
            Assert.Equal(HttpStatusCode.Conflict, e.Response.StatusCode);
        }

        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c" } }, ns);
    }

    [Fact]
    public async Task Failure_rate_answers_with_the_configured_code_and_retry_after()
    {
        try
        {
            fx.Server.Faults.FailureCode = 429;
            fx.Server.Faults.RetryAfterSeconds = 3;
            fx.Server.Faults.FailureRate = 1;
            using var http = fx.Server.RawClient();
            using var resp = await http.GetAsync("/api/v1/namespaces");
            Assert.Equal(HttpStatusCode.TooManyRequests, resp.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), resp.Headers.RetryAfter?.Delta);
            Assert.Equal("TooManyRequests", (string?)JsonNode.Parse(await resp.Content.ReadAsStringAsync())!["reason"]);

            fx.Server.Faults.FailureCode = 503;
            var e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.ListNamespaceAsync());
            Assert.Equal(HttpStatusCode.ServiceUnavailable, e.Response.StatusCode);
            fx.Server.Faults.FailureCode = 500;
            e = await Assert.ThrowsAsync<HttpOperationException>(() => _k.CoreV1.ListNamespaceAsync());
            Assert.Equal(HttpStatusCode.InternalServerError, e.Response.StatusCode);
        }
        finally
        {
            fx.Server.Faults.Reset();
        }

        Assert.NotEmpty((await _k.CoreV1.ListNamespaceAsync()).Items);
    }

    [Fact]
    public async Task Latency_fault_still_serves_requests()
    {
        fx.Server.Faults.Latency = TimeSpan.FromMilliseconds(50);
        try
        {
            Assert.NotEmpty((await _k.CoreV1.ListNamespaceAsync()).Items);
        }
        finally
        {
            fx.Server.Faults.Reset();
        }
    }

    [Fact]
    public async Task Dropping_watches_ends_open_streams()
    {
        var ns = await _k.NewNamespaceAsync();
        using var http = fx.Server.RawClient();
        using var resp = await http.GetAsync($"/api/v1/namespaces/{ns}/secrets?watch=true", HttpCompletionOption.ResponseHeadersRead);
        var body = resp.Content.ReadAsStringAsync();
        fx.Server.Faults.DropWatches();
        var text = await body.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("", text);
    }

    [Fact]
    public async Task Restart_closes_connections_and_keeps_the_store()
    {
        var ns = await _k.NewNamespaceAsync();
        await _k.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "kept" } }, ns);
        var port = fx.Server.Port;
        using var http = fx.Server.RawClient();
        using var watch = await http.GetAsync($"/api/v1/namespaces/{ns}/configmaps?watch=true&resourceVersion=0", HttpCompletionOption.ResponseHeadersRead);
        var stream = watch.Content.ReadAsStringAsync();
        await fx.Server.Faults.RestartAsync();
        var streamed = await stream.WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : "");
        Assert.DoesNotContain("ERROR", streamed);
        Assert.Equal(port, fx.Server.Port);
        Assert.True(fx.Server.Restarts >= 1);
        using var fresh = fx.Server.CreateClient();
        Assert.Equal("kept", (await fresh.CoreV1.ReadNamespacedConfigMapAsync("kept", ns)).Metadata.Name);
    }

    [Fact]
    public async Task Faults_endpoint_requires_the_admin_token_and_applies_commands()
    {
        var sa = fx.Server.RegisterServiceAccountToken("default", "nobody");
        using (var notAdmin = fx.Server.RawClient(sa))
        {
            using var denied = await notAdmin.PostAsync("/_sandbox/faults", new StringContent("{\"conflictNextWrites\":1}", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        }

        using var admin = fx.Server.RawClient();
        using var ok = await admin.PostAsync("/_sandbox/faults", new StringContent("{\"conflictNextWrites\":1}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(1, fx.Server.Faults.PendingConflicts);
        using var reset = await admin.PostAsync("/_sandbox/faults", new StringContent("{\"reset\":true}", Encoding.UTF8, "application/json"));
        Assert.Equal(0, fx.Server.Faults.PendingConflicts);

        var restarts = fx.Server.Restarts;
        using var restart = await admin.PostAsync("/_sandbox/faults", new StringContent("{\"restart\":true}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        await Helpers.Eventually(() => Task.FromResult(fx.Server.Restarts > restarts), "restarted over HTTP");
        using var fresh = fx.Server.CreateClient();
        Assert.NotEmpty((await fresh.CoreV1.ListNamespaceAsync()).Items);
    }

    [Fact]
    public async Task Service_account_tokens_are_authorised_by_rbac()
    {
        var ns = await _k.NewNamespaceAsync();
        var token = fx.Server.RegisterServiceAccountToken(ns, "reader");
        using var sa = fx.Server.CreateClient(token);
        var e = await Assert.ThrowsAsync<HttpOperationException>(() => sa.CoreV1.ListNamespacedConfigMapAsync(ns));
        Assert.Equal(HttpStatusCode.Forbidden, e.Response.StatusCode);
        Assert.Contains($"User \\\"system:serviceaccount:{ns}:reader\\\" cannot list resource \\\"configmaps\\\" in API group \\\"\\\" in the namespace \\\"{ns}\\\"", e.Response.Content);

        await _k.RbacAuthorizationV1.CreateNamespacedRoleAsync(new V1Role
        {
            Metadata = new V1ObjectMeta { Name = "cm-reader" },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["configmaps"], Verbs = ["get", "list", "watch"] }],
        }, ns);
        await _k.RbacAuthorizationV1.CreateNamespacedRoleBindingAsync(new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "cm-reader" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "cm-reader" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "reader", NamespaceProperty = ns }],
        }, ns);
        Assert.Equal(Helpers.RootCa, Assert.Single((await sa.CoreV1.ListNamespacedConfigMapAsync(ns)).Items).Metadata.Name);
        var create = await Assert.ThrowsAsync<HttpOperationException>(() =>
            sa.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "x" } }, ns));
        Assert.Equal(HttpStatusCode.Forbidden, create.Response.StatusCode);

        var review = await sa.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = ns, Verb = "watch", Resource = "configmaps" },
            },
        });
        Assert.True(review.Status.Allowed);
        var denied = await sa.AuthorizationV1.CreateSelfSubjectAccessReviewAsync(new V1SelfSubjectAccessReview
        {
            Spec = new V1SelfSubjectAccessReviewSpec
            {
                ResourceAttributes = new V1ResourceAttributes { NamespaceProperty = ns, Verb = "delete", Resource = "configmaps" },
            },
        });
        Assert.False(denied.Status.Allowed);
    }
}
