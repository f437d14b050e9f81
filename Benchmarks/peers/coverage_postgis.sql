-- The PostGIS idiom for `landwatch coverage`: each patch cut by the towns it meets, the pieces
-- unioned per town, the union's ellipsoidal area (geography, on the CGCS2000 lon/lat).
SELECT t.name,
       round(ST_Area(ST_Transform(ST_Union(ST_Intersection(p.geom, t.geom)), 4490)::geography)::numeric, 2) AS area_m2
FROM patches p
JOIN towns t ON ST_Intersects(p.geom, t.geom)
GROUP BY t.name
ORDER BY t.name;
