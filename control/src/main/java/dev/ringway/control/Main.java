package dev.ringway.control; public final class Main { public static void main(String[] a) {} }
