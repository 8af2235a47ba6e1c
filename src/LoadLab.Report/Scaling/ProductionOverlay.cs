namespace PerfReference.LoadLab.Report;

/// <summary>
/// What the Kubernetes production overlay gives the services, as the capacity plan (docs/scaling.md) sizes against it.
/// These are settings, not measurements, and the log is built without a cluster or kustomize, so they are written here;
/// tests/DeploymentTests/CapacityPlanTests renders the overlay and holds the generated plan to it (the request, the
/// target, what a pod carries, the maximum and every pod count), so a change of the overlay fails there until this
/// class follows it.
/// </summary>
public static class ProductionOverlay
{
    /// <summary>An OrdersService pod's CPU request, in cores (overlays/production/kustomization.yaml, the orders Deployment's patch: 500m).</summary>
    public const decimal OrdersRequestCores = 0.5m;

    /// <summary>What one OrdersService pod may burst to, in cores (the same patch's limit).</summary>
    public const decimal OrdersLimitCores = 2;

    /// <summary>The HorizontalPodAutoscaler's target: the pods' average CPU use, in percent of the request (base/orders.yaml, averageUtilization).</summary>
    public const int TargetUtilizationPercent = 70;

    /// <summary>The autoscaler's range of OrdersService pods (overlays/production: minReplicas, maxReplicas).</summary>
    public const int MinOrdersPods = 3;

    public const int MaxOrdersPods = 20;

    /// <summary>Silo pods (overlays/production: the silo Deployment's replicas; no autoscaler) and the CPU each requests, in cores.</summary>
    public const int Silos = 5;

    public const decimal SiloRequestCores = 1;

    /// <summary>The CPU one OrdersService pod carries before the autoscaler adds another: its request at the target.</summary>
    public static decimal OrdersPodCarriesCores => OrdersRequestCores * TargetUtilizationPercent / 100;
}
