package io.aimstore.server;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaConstructorCall;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The layer boundaries of architecture.md, held by tests rather than by comments. */
class LayeringTest {
  static JavaClasses classes;

  @BeforeAll
  static void load() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.aimstore.server");
  }

  @Test
  void coreIsDeterministicAndFreeOfInfrastructure() {
    noClasses()
        .that()
        .resideInAPackage("io.aimstore.server.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.ratis..",
            "io.grpc..",
            "java.net..",
            "java.util.concurrent..",
            "io.aimstore.server.raft..",
            "io.aimstore.server.api..",
            "io.aimstore.server.watch..",
            "io.aimstore.server.metrics..")
        .because("core is a pure state machine: no Ratis, gRPC, sockets, threads or upper layers")
        .check(classes);
  }

  @Test
  void coreReadsNoClockAndNoRandomness() {
    noClasses()
        .that()
        .resideInAPackage("io.aimstore.server.core..")
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(java.time.Instant.class, "now")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(java.time.Clock.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(java.util.Random.class)
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .because("apply must give the same result on every member: time comes in the command")
        .check(classes);
  }

  @Test
  void ratisStaysInsideTheRaftAdapter() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.aimstore.server.raft..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.ratis..")
        .because("every Ratis type stays behind the raft package")
        .check(classes);
  }

  @Test
  void storageDecidesNothing() {
    noClasses()
        .that()
        .resideInAPackage("io.aimstore.server.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.aimstore.server.core..", "io.aimstore.api..", "io.aimstore.internal..")
        .because("storage stores bytes; their meaning belongs to the core")
        .check(classes);
  }

  @Test
  void theEtcdApiOnlyTranslatesToAimstoresServices() {
    noClasses()
        .that()
        .resideInAPackage("io.aimstore.server.api.etcd..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.aimstore.server.raft..",
            "io.aimstore.server.watch..",
            "io.aimstore.server.storage..")
        .orShould()
        .dependOnClassesThat()
        .haveFullyQualifiedName("io.aimstore.server.api.Writes")
        .because(
            "etcd calls go through aimstore's own services (validation, limits, forwarding,"
                + " errors), never around them")
        .check(classes);
  }

  @Test
  void apiDoesNotTouchStorageDirectly() {
    noClasses()
        .that()
        .resideInAPackage("io.aimstore.server.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.aimstore.server.storage..")
        .because("the api layer reads through the store, never RocksDB")
        .check(classes);
  }

  @Test
  void rocksDbStaysInsideStorage() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.aimstore.server.storage..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.rocksdb..")
        .because("RocksDB is one implementation of storage.Backend; nothing else may know it")
        .check(classes);
  }

  @Test
  void generatedGrpcStubsOnlyInTheApiLayer() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.aimstore.server.api..")
        .should()
        .dependOnClassesThat(
            DescribedPredicate.describe(
                "generated gRPC service classes (*Grpc)",
                (JavaClass c) -> c.getName().matches(".*Grpc(\\$.*)?")))
        .because("the gRPC services are adapters of the api layer")
        .check(classes);
  }

  @Test
  void raftAndWatchNeverReachUpIntoTheApiLayer() {
    noClasses()
        .that()
        .resideInAnyPackage("io.aimstore.server.raft..", "io.aimstore.server.watch..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.aimstore.server.api..", "io.aimstore.server.metrics..")
        .because("dependencies run down: api → raft/watch → core → storage")
        .check(classes);
  }

  @Test
  void grpcStatusesAreDecidedOnlyByGrpcErrors() {
    noClasses()
        .that()
        .doNotHaveFullyQualifiedName("io.aimstore.server.api.GrpcErrors")
        .and()
        .resideOutsideOfPackage("io.aimstore.server.api.etcd..")
        .should()
        .callMethodWhere(
            DescribedPredicate.describe(
                "a method that makes a gRPC status or status exception",
                (JavaMethodCall call) ->
                    call.getTargetOwner().isAssignableTo(io.grpc.Status.class)
                        && !call.getName().startsWith("get")
                        && !call.getName().equals("isOk")))
        .orShould()
        .accessFieldWhere(
            DescribedPredicate.describe(
                "a gRPC status constant",
                (JavaFieldAccess access) ->
                    access.getTargetOwner().isAssignableTo(io.grpc.Status.class)))
        .orShould()
        .callConstructorWhere(
            DescribedPredicate.describe(
                "a gRPC status exception constructor",
                (JavaConstructorCall call) ->
                    call.getTargetOwner().isAssignableTo(io.grpc.StatusRuntimeException.class)
                        || call.getTargetOwner().isAssignableTo(io.grpc.StatusException.class)))
        .because(
            "one place (api.GrpcErrors) decides which failure becomes which gRPC status; the etcd"
                + " API (api.etcd) translates those statuses into etcd's own codes and texts")
        .check(classes);
  }

  @Test
  void metersAreRegisteredInOnePlace() {
    noClasses()
        .that()
        .resideOutsideOfPackage("io.aimstore.server.metrics..")
        .and()
        .doNotHaveFullyQualifiedName("io.aimstore.server.AimstoreNode")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.micrometer..")
        .because("metrics.ServerMeters registers every meter, with one naming rule")
        .check(classes);
  }
}
