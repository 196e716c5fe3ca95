using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Flock.Sandbox.ApiModel;

/// <summary>
/// The RBAC authorizer of k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac over a snapshot of
/// Roles, ClusterRoles, RoleBindings and ClusterRoleBindings, fronted (as in kube-apiserver) by the
/// privileged-group authorizer that lets <c>system:masters</c> do anything.
/// </summary>
public sealed class RbacAuthorizer
{
    private readonly Dictionary<(string Namespace, string Name), V1Role> _roles;
    private readonly Dictionary<string, V1ClusterRole> _clusterRoles;
    private readonly List<V1RoleBinding> _roleBindings;
    private readonly List<V1ClusterRoleBinding> _clusterRoleBindings;

    public RbacAuthorizer(
        IEnumerable<V1Role> roles,
        IEnumerable<V1ClusterRole> clusterRoles,
        IEnumerable<V1RoleBinding> roleBindings,
        IEnumerable<V1ClusterRoleBinding> clusterRoleBindings)
    {
        _roles = roles.ToDictionary(r => (r.Metadata?.NamespaceProperty ?? "", r.Metadata?.Name ?? ""));
        _clusterRoles = clusterRoles.ToDictionary(r => r.Metadata?.Name ?? "", StringComparer.Ordinal);
        _roleBindings = roleBindings.OrderBy(b => b.Metadata?.Name, StringComparer.Ordinal).ToList();
        _clusterRoleBindings = clusterRoleBindings.OrderBy(b => b.Metadata?.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>Groups allowed everything before RBAC is consulted.</summary>
    public IReadOnlyList<string> PrivilegedGroups { get; init; } = [UserInfo.Masters];

    /// <summary>Builds the authorizer from stored objects as JSON (any of the four RBAC kinds; others are ignored).</summary>
    public static RbacAuthorizer FromJson(IEnumerable<JsonObject> objects)
    {
        var roles = new List<V1Role>();
        var clusterRoles = new List<V1ClusterRole>();
        var roleBindings = new List<V1RoleBinding>();
        var clusterRoleBindings = new List<V1ClusterRoleBinding>();
        foreach (var obj in objects)
        {
            var json = obj.ToJsonString();
            switch (obj["kind"]?.GetValue<string>())
            {
                case "Role": roles.Add(KubernetesJson.Deserialize<V1Role>(json)); break;
                case "ClusterRole": clusterRoles.Add(KubernetesJson.Deserialize<V1ClusterRole>(json)); break;
                case "RoleBinding": roleBindings.Add(KubernetesJson.Deserialize<V1RoleBinding>(json)); break;
                case "ClusterRoleBinding": clusterRoleBindings.Add(KubernetesJson.Deserialize<V1ClusterRoleBinding>(json)); break;
            }
        }

        return new RbacAuthorizer(roles, clusterRoles, roleBindings, clusterRoleBindings);
    }

    /// <summary>
    /// Decides a request. Allowed decisions carry RBAC's reason (<c>RBAC: allowed by ClusterRoleBinding "x" of
    /// ClusterRole "y" to User "u"</c>, empty for privileged groups); denials carry the errors met on the
    /// way (missing roles) as <c>RBAC: …</c>, or an empty reason.
    /// </summary>
    public AuthorizationDecision Authorize(AuthorizationAttributes request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.User.Groups.Any(PrivilegedGroups.Contains))
        {
            return new AuthorizationDecision(true, "");
        }

        var errors = new List<string>();
        foreach (var binding in _clusterRoleBindings)
        {
            var subject = FirstApplying(request.User, binding.Subjects, "");
            if (subject is null)
            {
                continue;
            }

            var rules = RulesFor(binding.RoleRef, "", errors);
            if (rules is null)
            {
                continue;
            }

            if (rules.Any(rule => RuleAllows(request, rule)))
            {
                return new AuthorizationDecision(true,
                    $"RBAC: allowed by ClusterRoleBinding \"{binding.Metadata?.Name}\" of {binding.RoleRef.Kind} \"{binding.RoleRef.Name}\" to {DescribeSubject(subject, "")}");
            }
        }

        if (request.Namespace.Length > 0)
        {
            foreach (var binding in _roleBindings.Where(b => (b.Metadata?.NamespaceProperty ?? "") == request.Namespace))
            {
                var subject = FirstApplying(request.User, binding.Subjects, request.Namespace);
                if (subject is null)
                {
                    continue;
                }

                var rules = RulesFor(binding.RoleRef, request.Namespace, errors);
                if (rules is null)
                {
                    continue;
                }

                if (rules.Any(rule => RuleAllows(request, rule)))
                {
                    return new AuthorizationDecision(true,
                        $"RBAC: allowed by RoleBinding \"{binding.Metadata?.Name}/{request.Namespace}\" of {binding.RoleRef.Kind} \"{binding.RoleRef.Name}\" to {DescribeSubject(subject, request.Namespace)}");
                }
            }
        }

        var distinct = errors.Distinct(StringComparer.Ordinal).ToList();
        var reason = distinct.Count switch
        {
            0 => "",
            1 => "RBAC: " + distinct[0],
            _ => "RBAC: [" + string.Join(", ", distinct) + "]",
        };
        return new AuthorizationDecision(false, reason);
    }

    /// <summary>The effective rules of a ClusterRole, with aggregationRule resolved against the stored ClusterRoles.</summary>
    public IReadOnlyList<V1PolicyRule> ClusterRoleRules(string name) =>
        _clusterRoles.TryGetValue(name, out var role) ? EffectiveRules(role, new HashSet<string>(StringComparer.Ordinal)) : [];

    /// <summary>rbac.RuleAllows: verb, group, resource[/subresource] and resourceNames, or verb and nonResourceURLs.</summary>
    public static bool RuleAllows(AuthorizationAttributes request, V1PolicyRule rule)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(rule);
        if (!VerbMatches(rule, request.Verb))
        {
            return false;
        }

        if (!request.IsResourceRequest)
        {
            return NonResourceUrlMatches(rule, request.Path);
        }

        var combined = request.Subresource.Length > 0 ? $"{request.Resource}/{request.Subresource}" : request.Resource;
        return ApiGroupMatches(rule, request.ApiGroup)
            && ResourceMatches(rule, combined, request.Subresource)
            && ResourceNameMatches(rule, request.Name);
    }

    private static bool VerbMatches(V1PolicyRule rule, string verb) =>
        rule.Verbs?.Any(v => v == "*" || v == verb) ?? false;

    private static bool ApiGroupMatches(V1PolicyRule rule, string group) =>
        rule.ApiGroups?.Any(g => g == "*" || g == group) ?? false;

    private static bool ResourceMatches(V1PolicyRule rule, string combined, string subresource)
    {
        foreach (var r in rule.Resources ?? [])
        {
            if (r == "*" || r == combined)
            {
                return true;
            }

            if (subresource.Length > 0 && r.Length == subresource.Length + 2 && r.StartsWith("*/", StringComparison.Ordinal)
                && r.EndsWith(subresource, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ResourceNameMatches(V1PolicyRule rule, string name) =>
        rule.ResourceNames is not { Count: > 0 } || rule.ResourceNames.Contains(name);

    private static bool NonResourceUrlMatches(V1PolicyRule rule, string path)
    {
        foreach (var url in rule.NonResourceURLs ?? [])
        {
            if (url == "*" || url == path)
            {
                return true;
            }

            if (url.EndsWith('*') && path.StartsWith(url[..^1], StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private IReadOnlyList<V1PolicyRule>? RulesFor(V1RoleRef roleRef, string bindingNamespace, List<string> errors)
    {
        switch (roleRef.Kind)
        {
            case "Role":
                if (_roles.TryGetValue((bindingNamespace, roleRef.Name), out var role))
                {
                    return role.Rules?.ToList() ?? [];
                }

                errors.Add($"role.rbac.authorization.k8s.io \"{roleRef.Name}\" not found");
                return null;
            case "ClusterRole":
                if (_clusterRoles.TryGetValue(roleRef.Name, out var clusterRole))
                {
                    return EffectiveRules(clusterRole, new HashSet<string>(StringComparer.Ordinal));
                }

                errors.Add($"clusterrole.rbac.authorization.k8s.io \"{roleRef.Name}\" not found");
                return null;
            default:
                errors.Add($"unsupported role reference kind: \"{roleRef.Kind}\"");
                return null;
        }
    }

    private IReadOnlyList<V1PolicyRule> EffectiveRules(V1ClusterRole role, HashSet<string> visiting)
    {
        var selectors = role.AggregationRule?.ClusterRoleSelectors;
        if (selectors is null || selectors.Count == 0 || !visiting.Add(role.Metadata?.Name ?? ""))
        {
            return role.Rules?.ToList() ?? [];
        }

        // The aggregation controller replaces .rules with the union of the selected roles' rules.
        var rules = new List<V1PolicyRule>();
        foreach (var other in _clusterRoles.Values.OrderBy(r => r.Metadata?.Name, StringComparer.Ordinal))
        {
            if (ReferenceEquals(other, role) || !selectors.Any(s => LabelSelectors.Matches(s, other.Metadata?.Labels)))
            {
                continue;
            }

            rules.AddRange(EffectiveRules(other, visiting));
        }

        return rules.Count > 0 ? rules : role.Rules?.ToList() ?? [];
    }

    private static Rbacv1Subject? FirstApplying(UserInfo user, IList<Rbacv1Subject>? subjects, string bindingNamespace) =>
        subjects?.FirstOrDefault(s => AppliesTo(user, s, bindingNamespace));

    private static bool AppliesTo(UserInfo user, Rbacv1Subject subject, string bindingNamespace)
    {
        switch (subject.Kind)
        {
            case "User":
                return user.Name == subject.Name;
            case "Group":
                return user.Groups.Contains(subject.Name);
            case "ServiceAccount":
                var ns = string.IsNullOrEmpty(subject.NamespaceProperty) ? bindingNamespace : subject.NamespaceProperty;
                return ns.Length > 0 && user.Name == $"system:serviceaccount:{ns}:{subject.Name}";
            default:
                return false;
        }
    }

    private static string DescribeSubject(Rbacv1Subject subject, string bindingNamespace) => subject.Kind == "ServiceAccount"
        ? $"{subject.Kind} \"{subject.Name}/{(string.IsNullOrEmpty(subject.NamespaceProperty) ? bindingNamespace : subject.NamespaceProperty)}\""
        : $"{subject.Kind} \"{subject.Name}\"";
}
