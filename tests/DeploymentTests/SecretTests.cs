using System.Text.RegularExpressions;
using PerfReference.DeploymentTests.Manifests;

namespace PerfReference.DeploymentTests;

/// <summary>Passwords, keys and the connection strings that embed them live in Secrets, and only there.</summary>
public sealed partial class SecretTests(RenderedManifests manifests)
{
    /// <summary>The overlay that makes its Secrets itself (development values); production creates the same ones by hand.</summary>
    private const string OverlayWithSecrets = "dev";

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void NoConfigMapHoldsAPasswordOrAKey(string overlay) =>
        Assert.All(manifests[overlay].OfKind("ConfigMap"), configMap => Assert.All(configMap.Node.Strings("data"), setting =>
        {
            Assert.False(SecretName().IsMatch(setting.Key), $"{configMap}: {setting.Key} looks like a secret");
            Assert.False(SecretValue().IsMatch(setting.Value), $"{configMap}: {setting.Key} holds what looks like a secret");
        }));

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void EverySecretLookingVariableComesFromASecretAndNoLiteralHoldsOne(string overlay) =>
        Assert.All(manifests[overlay].Containers, container =>
        {
            foreach (var variable in container.Env)
            {
                var name = variable.Text("name") ?? "";
                if (SecretName().IsMatch(name))
                {
                    Assert.True(variable.Path("valueFrom", "secretKeyRef").Has("key"), $"{container}: {name} does not come from a Secret");
                }

                Assert.False(SecretValue().IsMatch(variable.Text("value") ?? ""), $"{container}: {name} is a literal that looks like a secret");
            }

            Assert.DoesNotContain(container.Args.Concat(container.Node.Texts("command")), arg => SecretValue().IsMatch(arg));
        });

    [Fact]
    public void NoSecretValueAppearsOutsideItsSecret()
    {
        var rendered = manifests[OverlayWithSecrets];
        var values = rendered.Secrets.Values.SelectMany(secret => secret.Values).Where(value => value.Length >= 8).ToArray();

        Assert.NotEmpty(values);
        Assert.All(rendered.Objects.Where(o => o.Kind != "Secret"), o =>
        {
            var text = o.Node.ToString();
            Assert.DoesNotContain(values, value => text.Contains(value, StringComparison.Ordinal));
        });
    }

    [Theory]
    [MemberData(nameof(Overlays.All), MemberType = typeof(Overlays))]
    public void EverySecretReferenceNamesAKeyOfTheSecretsTheDevelopmentOverlayDefines(string overlay)
    {
        var defined = manifests[OverlayWithSecrets].Secrets.SelectMany(secret => secret.Value.Keys.Select(key => $"{secret.Key}/{key}")).ToHashSet();
        var referenced = manifests[overlay].Containers
            .SelectMany(c => c.Env.Select(e => e.Path("valueFrom", "secretKeyRef")))
            .Where(reference => reference.Has("key"))
            .Select(reference => $"{reference.Text("name")}/{reference.Text("key")}")
            .ToHashSet();

        Assert.NotEmpty(referenced);
        Assert.Subset(defined, referenced);
    }

    [GeneratedRegex("password|passwd|secret|token|api-?key|apikey|adminkey|ConnectionStrings__|OTLP_HEADERS", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    /// <summary>A password or key written out: in a connection string, an option, a header.</summary>
    [GeneratedRegex(@"password=|pwd=|requirepass\s+[^$]|api-key=|apikey=", RegexOptions.IgnoreCase)]
    private static partial Regex SecretValue();
}
