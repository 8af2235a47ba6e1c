namespace PerfReference.DeploymentTests;

/// <summary>The check itself: every overlay renders and passes the Kubernetes API's schema, and a wrong manifest fails it.</summary>
public sealed class RenderAndValidationTests(RenderedManifests manifests)
{
    [Fact]
    public void EveryOverlayRendersAndEveryObjectPassesTheKubernetesSchema()
    {
        Assert.True(manifests.Check.ExitCode == 0, manifests.Check.Output);
        var total = 0;
        foreach (var overlay in Overlays.All.Select(row => row.Data))
        {
            Assert.NotEmpty(manifests[overlay].Objects);
            total += manifests[overlay].Objects.Count;
        }

        Assert.Contains($"Kubernetes 1.30 API (kubernetes-types 1.30.0): {total} objects checked, 0 problems", manifests.Check.Output);
    }

    [Fact]
    public async Task TheValidatorRefusesWhatTheApiServerWouldRefuse()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("perfref-k8s-bad-").FullName, "wrong.yaml");
        await File.WriteAllTextAsync(file, WrongManifests, TestContext.Current.CancellationToken);
        try
        {
            var run = await CheckRun.RunAsync(["validate", file], TestContext.Current.CancellationToken);

            Assert.True(run.ExitCode == 1, run.Output);
            Assert.Contains("3 objects checked, 3 problems", run.Output);
            Assert.Contains("Deployment/misspelt: Object literal may only specify known properties, and '\"replcas\"' does not exist in type 'DeploymentSpec'", run.Output);
            Assert.Contains("Service/mistyped: Type 'string' is not assignable to type 'number'", run.Output);
            Assert.Contains("Job/incomplete: Property 'containers' is missing", run.Output);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    /// <summary>A misspelt field, a value of the wrong type, a required field missing.</summary>
    private const string WrongManifests =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: misspelt
        spec:
          replcas: 3
          selector:
            matchLabels: {app: misspelt}
          template:
            metadata:
              labels: {app: misspelt}
            spec:
              containers:
                - name: app
                  image: app:1
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: mistyped
        spec:
          ports:
            - port: eighty
        ---
        apiVersion: batch/v1
        kind: Job
        metadata:
          name: incomplete
        spec:
          template:
            spec:
              restartPolicy: Never
        """;
}
