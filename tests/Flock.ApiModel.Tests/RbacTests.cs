using System.Text.Json.Nodes;
using Flock.Sandbox.ApiModel;
using k8s.Models;
using static Flock.ApiModel.Tests.TestData;

namespace Flock.ApiModel.Tests;

public class RbacTests
{
    private static readonly UserInfo Operator = UserInfo.ServiceAccount("flock-system", "flock-operator");
    private static readonly UserInfo Stranger = UserInfo.ServiceAccount("default", "app");

    /// <summary>The operator's committed RBAC: a ClusterRole/Binding plus the leader-election Role/Binding.</summary>
    private static RbacAuthorizer CommittedRbac(params JsonObject[] extra) => RbacAuthorizer.FromJson(
        new[] { "role.yaml", "role_binding.yaml", "leader_election_role.yaml", "leader_election_role_binding.yaml" }
            .SelectMany(f => ConfigObjects("config/rbac/" + f))
            .Concat(extra));

    private static AuthorizationAttributes Request(UserInfo user, string verb, string group, string resource, string ns = "", string name = "", string sub = "") =>
        AuthorizationAttributes.ForResource(user, verb, group, resource, ns, name, sub);

    [Fact]
    public void Cluster_role_binding_grants_its_rules_in_every_namespace_and_says_why()
    {
        var decision = CommittedRbac().Authorize(Request(Operator, "list", "flock.io", "flocktrainingnodes", "team-a"));

        Assert.True(decision.Allowed);
        Assert.Equal("RBAC: allowed by ClusterRoleBinding \"flock-operator\" of ClusterRole \"flock-operator\" to ServiceAccount \"flock-operator/flock-system\"",
            decision.Reason);
        Assert.True(CommittedRbac().Authorize(Request(Operator, "list", "", "nodes")).Allowed);
    }

    [Fact]
    public void Verbs_outside_the_rules_are_denied_with_the_apiserver_message()
    {
        var rbac = CommittedRbac();
        var request = Request(Operator, "create", "", "secrets", "team-a", "stolen");

        var decision = rbac.Authorize(request);
        var status = ForbiddenStatus.Build(request, decision.Reason);

        Assert.False(decision.Allowed);
        Assert.Equal("", decision.Reason);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"secrets \"stolen\" is forbidden: User \"system:serviceaccount:flock-system:flock-operator\" cannot create resource \"secrets\" in API group \"\" in the namespace \"team-a\"","reason":"Forbidden","details":{"name":"stolen","kind":"secrets"},"code":403}""",
            status.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
    }

    [Fact]
    public void Cluster_scope_and_collection_denials_use_their_wording()
    {
        var list = ForbiddenStatus.Build(Request(Stranger, "list", "apiextensions.k8s.io", "customresourcedefinitions"));
        Assert.Equal("customresourcedefinitions.apiextensions.k8s.io is forbidden: User \"system:serviceaccount:default:app\" cannot list resource \"customresourcedefinitions\" in API group \"apiextensions.k8s.io\" at the cluster scope",
            list["message"]!.GetValue<string>());
        Assert.Equal("""{"group":"apiextensions.k8s.io","kind":"customresourcedefinitions"}""", list["details"]!.ToJsonString());

        var status = ForbiddenStatus.Build(Request(Stranger, "patch", "flock.io", "flocktrainingnodes", "default", "t1", "status"));
        Assert.Equal("flocktrainingnodes.flock.io \"t1\" is forbidden: User \"system:serviceaccount:default:app\" cannot patch resource \"flocktrainingnodes/status\" in API group \"flock.io\" in the namespace \"default\"",
            status["message"]!.GetValue<string>());

        var path = ForbiddenStatus.Build(AuthorizationAttributes.ForPath(Stranger, "get", "/metrics"));
        Assert.Equal("forbidden: User \"system:serviceaccount:default:app\" cannot get path \"/metrics\"", path["message"]!.GetValue<string>());
        Assert.Equal("{}", path["details"]!.ToJsonString());
    }

    [Fact]
    public void Role_binding_to_a_cluster_role_grants_only_in_its_namespace()
    {
        var binding = Obj("""
            {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"app-reads-nodes","namespace":"default"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"flock-operator"},
             "subjects":[{"kind":"ServiceAccount","name":"app"}]}
            """);
        var rbac = CommittedRbac(binding);

        var inNamespace = rbac.Authorize(Request(Stranger, "get", "flock.io", "flockvalidators", "default", "v"));
        Assert.True(inNamespace.Allowed);
        Assert.Equal("RBAC: allowed by RoleBinding \"app-reads-nodes/default\" of ClusterRole \"flock-operator\" to ServiceAccount \"app/default\"", inNamespace.Reason);
        Assert.False(rbac.Authorize(Request(Stranger, "get", "flock.io", "flockvalidators", "other", "v")).Allowed);
        Assert.False(rbac.Authorize(Request(Stranger, "list", "", "nodes")).Allowed);
    }

    [Fact]
    public void Namespaced_role_covers_only_its_namespace()
    {
        var rbac = CommittedRbac();

        Assert.True(rbac.Authorize(Request(Operator, "update", "coordination.k8s.io", "leases", "flock-system", "flock-operator")).Allowed);
        Assert.False(rbac.Authorize(Request(Operator, "update", "coordination.k8s.io", "leases", "default", "flock-operator")).Allowed);
        Assert.False(rbac.Authorize(Request(Operator, "delete", "coordination.k8s.io", "leases", "flock-system", "flock-operator")).Allowed);
    }

    [Fact]
    public void Resource_names_restrict_named_requests_and_exclude_lists()
    {
        var rbac = Authorizer(Rule(["get", "list"], [""], ["secrets"], names: ["flock-credentials"]));

        Assert.True(rbac.Authorize(Request(Stranger, "get", "", "secrets", "default", "flock-credentials")).Allowed);
        Assert.False(rbac.Authorize(Request(Stranger, "get", "", "secrets", "default", "akash-wallet")).Allowed);
        Assert.False(rbac.Authorize(Request(Stranger, "list", "", "secrets", "default")).Allowed);
    }

    [Fact]
    public void Subresources_need_their_own_rules_or_a_star_slash_rule()
    {
        var scaleOnly = Authorizer(Rule(["get", "update"], ["apps"], ["deployments/scale"]));
        Assert.True(scaleOnly.Authorize(Request(Stranger, "update", "apps", "deployments", "default", "web", "scale")).Allowed);
        Assert.False(scaleOnly.Authorize(Request(Stranger, "update", "apps", "deployments", "default", "web")).Allowed);
        Assert.False(scaleOnly.Authorize(Request(Stranger, "update", "apps", "deployments", "default", "web", "status")).Allowed);

        var anyStatus = Authorizer(Rule(["patch"], ["*"], ["*/status"]));
        Assert.True(anyStatus.Authorize(Request(Stranger, "patch", "flock.io", "flocktrainingnodes", "default", "t", "status")).Allowed);
        Assert.False(anyStatus.Authorize(Request(Stranger, "patch", "flock.io", "flocktrainingnodes", "default", "t")).Allowed);

        var parentOnly = Authorizer(Rule(["get"], [""], ["pods"]));
        Assert.False(parentOnly.Authorize(Request(Stranger, "get", "", "pods", "default", "p", "log")).Allowed);
    }

    [Fact]
    public void Wildcards_match_every_verb_group_and_resource()
    {
        var rbac = Authorizer(Rule(["*"], ["*"], ["*"]));

        Assert.True(rbac.Authorize(Request(Stranger, "deletecollection", "flock.io", "flockvalidators", "default")).Allowed);
        Assert.True(rbac.Authorize(Request(Stranger, "escalate", "rbac.authorization.k8s.io", "clusterroles")).Allowed);
        Assert.True(rbac.Authorize(Request(Stranger, "get", "", "pods", "x", "p", "log")).Allowed);
        Assert.False(rbac.Authorize(AuthorizationAttributes.ForPath(Stranger, "get", "/healthz")).Allowed);
    }

    [Fact]
    public void Groups_bind_every_service_account_of_a_namespace()
    {
        var role = new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "viewer" }, Rules = [Rule(["get"], [""], ["configmaps"])] };
        var binding = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "default-sas-view" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "viewer" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = "system:serviceaccounts:default", ApiGroup = "rbac.authorization.k8s.io" }],
        };
        var rbac = new RbacAuthorizer([], [role], [], [binding]);

        var decision = rbac.Authorize(Request(Stranger, "get", "", "configmaps", "kube-system", "c"));
        Assert.True(decision.Allowed);
        Assert.EndsWith("to Group \"system:serviceaccounts:default\"", decision.Reason);
        Assert.False(rbac.Authorize(Request(Operator, "get", "", "configmaps", "kube-system", "c")).Allowed);
    }

    [Fact]
    public void Aggregated_cluster_roles_collect_the_rules_of_labelled_roles()
    {
        var aggregate = new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "flock-view" },
            AggregationRule = new V1AggregationRule
            {
                ClusterRoleSelectors = [new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["flock.io/aggregate-to-view"] = "true" } }],
            },
        };
        var part = new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "flock-view-nodes", Labels = new Dictionary<string, string> { ["flock.io/aggregate-to-view"] = "true" } },
            Rules = [Rule(["list"], ["flock.io"], ["flocktrainingnodes"])],
        };
        var binding = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "app-view" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "flock-view" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "app", NamespaceProperty = "default" }],
        };
        var rbac = new RbacAuthorizer([], [aggregate, part], [], [binding]);

        Assert.True(rbac.Authorize(Request(Stranger, "list", "flock.io", "flocktrainingnodes", "default")).Allowed);
        Assert.False(rbac.Authorize(Request(Stranger, "delete", "flock.io", "flocktrainingnodes", "default", "t")).Allowed);
        Assert.Single(rbac.ClusterRoleRules("flock-view"));
    }

    [Fact]
    public void Bindings_to_missing_roles_explain_the_denial()
    {
        var binding = Obj("""
            {"kind":"ClusterRoleBinding","metadata":{"name":"dangling"},
             "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"gone"},
             "subjects":[{"kind":"ServiceAccount","name":"app","namespace":"default"}]}
            """);
        var request = Request(Stranger, "get", "", "pods", "default", "p");

        var decision = RbacAuthorizer.FromJson([binding]).Authorize(request);

        Assert.False(decision.Allowed);
        Assert.Equal("RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found", decision.Reason);
        Assert.EndsWith("in the namespace \"default\": RBAC: clusterrole.rbac.authorization.k8s.io \"gone\" not found",
            ForbiddenStatus.Build(request, decision.Reason)["message"]!.GetValue<string>());
    }

    [Fact]
    public void Non_resource_urls_match_exactly_or_by_trailing_star()
    {
        var role = new V1ClusterRole
        {
            Metadata = new V1ObjectMeta { Name = "probe" },
            Rules = [new V1PolicyRule { Verbs = ["get"], NonResourceURLs = ["/healthz", "/logs/*"] }],
        };
        var binding = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "probe" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "probe" },
            Subjects = [new Rbacv1Subject { Kind = "Group", Name = UserInfo.Authenticated }],
        };
        var rbac = new RbacAuthorizer([], [role], [], [binding]);

        Assert.True(rbac.Authorize(AuthorizationAttributes.ForPath(Stranger, "get", "/healthz")).Allowed);
        Assert.True(rbac.Authorize(AuthorizationAttributes.ForPath(Stranger, "get", "/logs/kube-apiserver.log")).Allowed);
        Assert.False(rbac.Authorize(AuthorizationAttributes.ForPath(Stranger, "get", "/metrics")).Allowed);
        Assert.False(rbac.Authorize(AuthorizationAttributes.ForPath(Stranger, "post", "/healthz")).Allowed);
    }

    [Fact]
    public void System_masters_may_do_anything()
    {
        var admin = UserInfo.User("kubernetes-admin", UserInfo.Masters);

        Assert.True(CommittedRbac().Authorize(Request(admin, "delete", "apiextensions.k8s.io", "customresourcedefinitions", name: "x")).Allowed);
        Assert.Null(ForbiddenStatus.Check(CommittedRbac(), Request(admin, "create", "", "namespaces")));
        Assert.Equal(403, StatusErrors.CodeOf(ForbiddenStatus.Check(CommittedRbac(), Request(Stranger, "create", "", "namespaces"))!));
    }

    [Fact]
    public void Self_subject_access_review_answers_can_i()
    {
        var review = Obj("""
            {"apiVersion":"authorization.k8s.io/v1","kind":"SelfSubjectAccessReview",
             "spec":{"resourceAttributes":{"namespace":"default","verb":"patch","group":"flock.io","resource":"flocktrainingnodes","subresource":"status"}}}
            """);

        var allowed = SelfSubjectAccessReviews.Evaluate(CommittedRbac(), Operator, review);
        Assert.Equal("""{"allowed":true,"reason":"RBAC: allowed by ClusterRoleBinding \u0022flock-operator\u0022 of ClusterRole \u0022flock-operator\u0022 to ServiceAccount \u0022flock-operator/flock-system\u0022"}""",
            allowed["status"]!.ToJsonString());
        Assert.Equal("SelfSubjectAccessReview", allowed["kind"]!.GetValue<string>());
        Assert.Equal("status", allowed["spec"]!["resourceAttributes"]!["subresource"]!.GetValue<string>());

        var denied = SelfSubjectAccessReviews.Evaluate(CommittedRbac(), Stranger, review);
        Assert.Equal("""{"allowed":false}""", denied["status"]!.ToJsonString());

        Assert.Throws<ArgumentException>(() => SelfSubjectAccessReviews.Evaluate(CommittedRbac(), Stranger, Obj("""{"spec":{}}""")));
    }

    private static V1PolicyRule Rule(string[] verbs, string[] groups, string[] resources, string[]? names = null) => new()
    {
        Verbs = verbs,
        ApiGroups = groups,
        Resources = resources,
        ResourceNames = names,
    };

    /// <summary>A namespaced Role in "default" with one rule, bound to the default/app service account.</summary>
    private static RbacAuthorizer Authorizer(V1PolicyRule rule)
    {
        var role = new V1Role { Metadata = new V1ObjectMeta { Name = "r", NamespaceProperty = "default" }, Rules = [rule] };
        var clusterRole = new V1ClusterRole { Metadata = new V1ObjectMeta { Name = "cr" }, Rules = [rule] };
        var binding = new V1RoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "rb", NamespaceProperty = "default" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "r" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "app" }],
        };
        var clusterBinding = new V1ClusterRoleBinding
        {
            Metadata = new V1ObjectMeta { Name = "crb" },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = "cr" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "app", NamespaceProperty = "default" }],
        };
        // Cluster-scoped requests (namespace "") can only be granted by the ClusterRoleBinding.
        return new RbacAuthorizer([role], [clusterRole], [binding], [clusterBinding]);
    }
}
