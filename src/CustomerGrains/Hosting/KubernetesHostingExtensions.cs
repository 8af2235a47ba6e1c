namespace PerfReference.CustomerGrains.Hosting;

public static class KubernetesHostingExtensions
{
    /// <summary>
    /// Inside Kubernetes, Orleans' Kubernetes hosting: the silo is named after its pod (<c>POD_NAME</c>), advertises
    /// the pod's IP (<c>POD_IP</c>) and listens on every address, takes its service and cluster ids from the pod's
    /// <c>orleans/serviceId</c> and <c>orleans/clusterId</c> labels, and declares a silo dead as soon as its pod is
    /// deleted instead of after missed probes (deploy/kubernetes gives the pods that environment and the role to read
    /// pods). Anywhere else the whole lab runs on one machine, and the silo advertises loopback as before.
    /// </summary>
    public static ISiloBuilder UseKubernetesHostingOrLoopback(this ISiloBuilder silo) =>
        IsInsideKubernetes ? silo.UseKubernetesHosting() : silo.AdvertiseLoopback();

    /// <summary>The kubelet gives every container the API server's address; nothing else sets it.</summary>
    private static bool IsInsideKubernetes => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"));
}
