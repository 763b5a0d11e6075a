/**
 * etcd's v3 gRPC API on aimstore's client port: thin translators from etcd's messages to aimstore's
 * and back. Every call goes through the aimstore service that does the same thing (its validation,
 * limits, leader forwarding and errors), so a key, lease, lock or watch is the same whichever API
 * made it. {@link io.aimstore.server.api.etcd.EtcdErrors} turns aimstore's failures into the
 * statuses and texts etcd clients match; docs/api.md lists what maps to what and every difference.
 */
package io.aimstore.server.api.etcd;
