using YamlDotNet.RepresentationModel;

namespace PerfReference.DeploymentTests.Manifests;

/// <summary>Reading a YAML document the way a manifest is written: a mapping, a list, a value, or nothing there.</summary>
public static class YamlPaths
{
    private static readonly YamlMappingNode Empty = new();

    public static YamlNode? Child(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static bool Has(this YamlMappingNode node, string key) => node.Child(key) is not null;

    /// <summary>The mapping under <paramref name="key"/>; an empty one when there is none.</summary>
    public static YamlMappingNode Map(this YamlMappingNode node, string key) => node.Child(key) as YamlMappingNode ?? Empty;

    /// <summary>The mapping at a path of keys; an empty one when any step is missing.</summary>
    public static YamlMappingNode Path(this YamlMappingNode node, params string[] keys) => keys.Aggregate(node, (current, key) => current.Map(key));

    public static string? Text(this YamlMappingNode node, string key) => (node.Child(key) as YamlScalarNode)?.Value;

    /// <summary>The mappings of the list under <paramref name="key"/> (containers, env, rules…).</summary>
    public static IReadOnlyList<YamlMappingNode> Maps(this YamlMappingNode node, string key) =>
        node.Child(key) is YamlSequenceNode list ? [.. list.Children.OfType<YamlMappingNode>()] : [];

    /// <summary>The values of the list under <paramref name="key"/> (args, verbs…).</summary>
    public static IReadOnlyList<string> Texts(this YamlMappingNode node, string key) =>
        node.Child(key) is YamlSequenceNode list ? [.. list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")] : [];

    /// <summary>A mapping of values (labels, a ConfigMap's data) as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string> Strings(this YamlMappingNode node, string key) =>
        node.Map(key).Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value ?? "", pair => (pair.Value as YamlScalarNode)?.Value ?? "");
}
