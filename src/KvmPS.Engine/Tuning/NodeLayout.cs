using KvmPS.Engine.Host;

namespace KvmPS.Engine.Tuning;

/// <summary>The node info's shape: NUMA cells, sockets per cell, cores per socket, threads per core.</summary>
public readonly record struct NodeLayout(int Nodes, int SocketsPerNode, int Cores, int Threads);
